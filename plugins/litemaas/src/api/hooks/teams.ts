import { useQuery } from '@tanstack/react-query';
import { queryKeys } from './queryKeys';
import { useLiteMaaSApi } from './useLiteMaaSApi';

/** The LiteMaaS teams I belong to, with budget and spend (`GET /teams`). */
export function useTeams() {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.teams(),
    queryFn: () => api.listTeams(),
  });
}

/** One team (`GET /teams/:ref`). */
export function useTeam(ref: string | undefined) {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.team(ref ?? ''),
    queryFn: () => api.getTeam(ref!),
    enabled: Boolean(ref),
  });
}
