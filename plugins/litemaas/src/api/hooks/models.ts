import type {
  CreateSubscriptionRequest,
  ListModelsQuery,
} from '@litemaas/backstage-plugin-litemaas-common';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from './queryKeys';
import { useLiteMaaSApi } from './useLiteMaaSApi';

/** The models with my access to each (`GET /models`). */
export function useModels(query: ListModelsQuery = {}) {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.modelList(query),
    queryFn: () => api.listModels(query),
  });
}

/** One model with its consumers (`GET /models/:id`). */
export function useModel(id: string | undefined) {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.model(id ?? ''),
    queryFn: () => api.getModel(id!),
    enabled: Boolean(id),
  });
}

/**
 * Subscribes (open model) or requests access (restricted model, with a justification).
 * Refreshes models and subscriptions.
 */
export function useSubscribe() {
  const api = useLiteMaaSApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateSubscriptionRequest) =>
      api.createSubscription(request),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.models() }),
        client.invalidateQueries({ queryKey: queryKeys.subscriptions() }),
      ]),
  });
}
