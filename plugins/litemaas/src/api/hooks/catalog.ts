import { stringifyEntityRef } from '@backstage/catalog-model';
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
