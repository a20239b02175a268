import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Model } from '@litemaas/backstage-plugin-litemaas-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';

/** The annotation with which components and systems declare the models they use. */
export const MODELS_ANNOTATION = 'litemaas.io/models';

/** A component or system that declares a model in `litemaas.io/models`. */
export interface ModelConsumer {
  entityRef: string;
  title?: string;
  ownerRef?: string;
}

function declaredModels(entity: Entity): string[] {
  return (entity.metadata.annotations?.[MODELS_ANNOTATION] ?? '')
    .split(',')
    .map(id => id.trim())
    .filter(Boolean);
}

/**
 * Impact before change: who uses a model (the catalog's components and systems that
 * declare it), and a Backstage notification to their owners when the model is
 * deprecated or disappears from LiteLLM, naming the model, its replacement and the date.
 */
export class ModelImpactService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      notifications?: NotificationService;
      logger: LoggerService;
    },
  ) {}

  async consumers(modelId: string): Promise<ModelConsumer[]> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: ['component', 'system'].map(kind => ({
          kind,
          [`metadata.annotations.${MODELS_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
        })),
        fields: ['kind', 'metadata', 'spec.owner'],
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    return items
      .filter(entity => declaredModels(entity).includes(modelId))
      .map(entity => {
        const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
        return {
          entityRef: stringifyEntityRef(entity),
          title: entity.metadata.title,
          ownerRef:
            typeof owner === 'string'
              ? stringifyEntityRef(
                  parseEntityRef(owner, {
                    defaultKind: 'group',
                    defaultNamespace: entity.metadata.namespace ?? 'default',
                  }),
                )
              : undefined,
        };
      })
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  /** Tells the owners of every consumer; never throws (the change itself is done). */
  async notifyOwners(
    model: Pick<Model, 'id' | 'replacementModelId' | 'deprecationDate'>,
    change: 'deprecated' | 'removed',
  ): Promise<number> {
    const { notifications, logger } = this.deps;
    if (!notifications) return 0;
    try {
      const consumers = await this.consumers(model.id);
      const byOwner = new Map<string, string[]>();
      for (const c of consumers) {
        if (!c.ownerRef) continue;
        byOwner.set(c.ownerRef, [
          ...(byOwner.get(c.ownerRef) ?? []),
          c.title ?? c.entityRef,
        ]);
      }
      const replacement = model.replacementModelId
        ? ` Use ${model.replacementModelId} instead.`
        : '';
      const when = model.deprecationDate
        ? ` It goes away on ${model.deprecationDate.slice(0, 10)}.`
        : '';
      for (const [ownerRef, uses] of byOwner) {
        await notifications.send({
          recipients: { type: 'entity', entityRef: ownerRef },
          payload: {
            title:
              change === 'deprecated'
                ? `Model ${model.id} is deprecated`
                : `Model ${model.id} is no longer served`,
            description: `${uses.join(', ')} declare${
              uses.length === 1 ? 's' : ''
            } it in ${MODELS_ANNOTATION}.${
              change === 'deprecated'
                ? `${replacement}${when}`
                : ` LiteLLM stopped serving it; keys lost it.${replacement}`
            }`,
            link: `/litemaas/models/${encodeURIComponent(model.id)}`,
            severity: 'high',
            topic: 'litemaas-model-change',
            scope: `litemaas-model-${change}:${model.id}`,
          },
        });
      }
      return byOwner.size;
    } catch (error) {
      logger.warn(
        `Could not tell the users of model ${model.id} that it was ${change}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return 0;
    }
  }
}
