import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_LITEMAAS_MODELS,
  parseModelsAnnotation,
} from '@litemaas/backstage-plugin-litemaas-common';
import { modelEntityName } from '../entities/entityName';
import { LITEMAAS_ENTITY_NAMESPACE } from '../entities/modelEntity';

/** The kinds that may declare the models they use. */
const CONSUMER_KINDS = new Set(['component', 'system']);

/**
 * Relates components and systems to the models they declare in `litemaas.io/models`:
 * `dependsOn` from the entity to each model's `Resource`, and `dependencyOf` back, so a
 * model's page lists its consumers and a component's page lists its models. Every
 * well-formed id is related, known or not yet: the relation resolves as soon as the
 * model's entity exists (a component processed before the first model sync needs no
 * second pass), and a model that goes away shows up as a missing dependency.
 */
export class LiteMaaSModelRelationsProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'LiteMaaSModelRelationsProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!CONSUMER_KINDS.has(entity.kind.toLocaleLowerCase('en-US'))) {
      return entity;
    }
    const ids = parseModelsAnnotation(
      entity.metadata.annotations?.[ANNOTATION_LITEMAAS_MODELS],
    );
    if (ids.length === 0) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    const targets = new Set<string>();
    for (const id of ids) {
      const name = modelEntityName(id);
      if (targets.has(name)) continue;
      targets.add(name);
      const model = {
        kind: 'Resource',
        namespace: LITEMAAS_ENTITY_NAMESPACE,
        name,
      };
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_DEPENDS_ON,
          target: model,
        }),
      );
      emit(
        processingResult.relation({
          source: model,
          type: RELATION_DEPENDENCY_OF,
          target: self,
        }),
      );
    }
    return entity;
  }
}
