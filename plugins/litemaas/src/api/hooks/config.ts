import { useQuery } from '@tanstack/react-query';
import { queryKeys } from './queryKeys';
import { useLiteMaaSApi } from './useLiteMaaSApi';

/** Public base URL, currency, key defaults and maximums (`GET /config`). */
export function useLiteMaaSConfig() {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.config(),
    queryFn: () => api.getConfig(),
    staleTime: 5 * 60_000,
  });
}

/** Whether the backend and its database answer (`GET /health`). */
export function useHealth() {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.health(),
    queryFn: () => api.getHealth(),
    retry: false,
  });
}
