import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';

// Model fixtures (emulatorDefaultModels, aModel, modelsResponse) come from the LiteMaaS
// backend's testUtils, built by the backend's own mapping; this file holds what only the
// catalog module needs.

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const kindValidators = [
  resourceEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
];

/**
 * Validates an entity the way the catalog does before it stores it: the default entity
 * policies (envelope schema, field formats of name, tags, annotations and links, no
 * foreign root fields) and the kind's own schema. Throws on the first problem.
 */
export async function validateLikeTheCatalog(entity: Entity): Promise<void> {
  const result = await policy.enforce(entity);
  if (!result) {
    throw new Error(`entity ${entity.metadata.name} was rejected by policy`);
  }
  for (const validator of kindValidators) {
    if (await validator.check(entity)) return;
  }
  throw new Error(`no validator for kind ${entity.kind}`);
}
