import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from './queryKeys';
import { useLiteMaaSApi } from './useLiteMaaSApi';

/** My subscriptions and my teams' (`GET /subscriptions`). */
export function useSubscriptions() {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.subscriptions(),
    queryFn: () => api.listSubscriptions(),
  });
}

/** Cancels a subscription; the backend narrows the keys that used the model. */
export function useCancelSubscription() {
  const api = useLiteMaaSApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.cancelSubscription(id),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.subscriptions() }),
        client.invalidateQueries({ queryKey: queryKeys.models() }),
        client.invalidateQueries({ queryKey: queryKeys.keys() }),
      ]),
  });
}
