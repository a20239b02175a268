import { useQuery } from '@tanstack/react-query';
import type { UsageRequest } from '../types';
import { queryKeys } from './queryKeys';
import { useLiteMaaSApi } from './useLiteMaaSApi';

/** A usage report of mine or my teams' (`GET /usage`), e.g. a team's spend by model. */
export function useUsage(
  request: UsageRequest,
  options: { enabled?: boolean } = {},
) {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.usage(request),
    queryFn: () => api.getUsage(request),
    enabled: options.enabled ?? true,
  });
}
