import type { Entity } from '@backstage/catalog-model';
import {
  AI_MODEL_RESOURCE_TYPE,
  ANNOTATION_LITEMAAS_MODELS,
} from '@litemaas/backstage-plugin-litemaas-common';

const isKind = (entity: Entity, ...kinds: string[]) =>
  kinds.includes(entity.kind.toLocaleLowerCase('en-US'));

/**
 * A model entity: a `Resource` with `spec.type: ai-model` (the LiteMaaS catalog module
 * writes them). Where the model card applies.
 *
 * @public
 */
export function isLiteMaaSModelEntity(entity: Entity): boolean {
  return (
    isKind(entity, 'resource') && entity.spec?.type === AI_MODEL_RESOURCE_TYPE
  );
}

/**
 * A `Component` or `System` that declares the models it uses in the
 * `litemaas.io/models` annotation. Where the LLM access card applies.
 *
 * @public
 */
export function isLiteMaaSConsumerEntity(entity: Entity): boolean {
  return (
    isKind(entity, 'component', 'system') &&
    Boolean(entity.metadata.annotations?.[ANNOTATION_LITEMAAS_MODELS])
  );
}

/** A `Group`: where the team card applies. @public */
export function isLiteMaaSTeamEntity(entity: Entity): boolean {
  return isKind(entity, 'group');
}
