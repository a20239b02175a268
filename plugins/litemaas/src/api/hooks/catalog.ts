import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useQuery } from '@tanstack/react-query';

/** Annotation of a model entity that names its LiteLLM model. */
const MODEL_ID_ANNOTATION = 'litemaas.io/model-id';

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
          [`metadata.annotations.${MODEL_ID_ANNOTATION}`]: modelId!,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      });
      return items[0] ? stringifyEntityRef(items[0]) : null;
    },
  });
}
