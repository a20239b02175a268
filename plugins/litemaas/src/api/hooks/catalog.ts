import {
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { ANNOTATION_LITEMAAS_MODEL_ID } from '@litemaas/backstage-plugin-litemaas-common';
import { useQuery } from '@tanstack/react-query';

/**
 * The catalog entity of a model (`Resource`, `spec.type: ai-model`), as an entity ref,
 * or null when the catalog does not have it (yet).
 */
export function useModelEntityRef(modelId: string | undefined) {
  const catalogApi = useApi(catalogApiRef);
  return useQuery({
    queryKey: ['litemaas', 'catalog', 'model', modelId],
    enabled: Boolean(modelId),
    queryFn: async () => {
      const { items } = await catalogApi.getEntities({
        filter: {
          kind: 'resource',
          [`metadata.annotations.${ANNOTATION_LITEMAAS_MODEL_ID}`]: modelId!,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      });
      return items[0] ? stringifyEntityRef(items[0]) : null;
    },
  });
}

/**
 * The components and systems the given groups own in the catalog, each with the group
 * that owns it: a key owned by one of them lives in that group's team (the API checks
 * the same ownership against the catalog).
 */
export function useOwnedEntities(groupRefs: readonly string[]) {
  const catalogApi = useApi(catalogApiRef);
  const refs = [...groupRefs].sort();
  return useQuery({
    queryKey: ['litemaas', 'catalog', 'owned', refs],
    enabled: refs.length > 0,
    queryFn: async () => {
      const { items } = await catalogApi.getEntities({
        filter: ['component', 'system'].map(kind => ({
          kind,
          [`relations.${RELATION_OWNED_BY}`]: refs,
        })),
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'relations',
        ],
      });
      return items
        .flatMap(entity => {
          const teamRef = entity.relations?.find(
            r => r.type === RELATION_OWNED_BY && refs.includes(r.targetRef),
          )?.targetRef;
          if (!teamRef) return [];
          const { title } = entity.metadata;
          return [
            {
              ref: stringifyEntityRef(entity),
              teamRef,
              ...(title ? { title } : {}),
            },
          ];
        })
        .sort((a, b) => a.ref.localeCompare(b.ref));
    },
  });
}
