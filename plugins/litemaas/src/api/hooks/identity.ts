import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { useQuery } from '@tanstack/react-query';

/** The signed-in user's entity ref and ownership refs (their groups). */
export function useCurrentUser() {
  const identityApi = useApi(identityApiRef);
  return useQuery({
    queryKey: ['litemaas', 'identity'],
    queryFn: () => identityApi.getBackstageIdentity(),
    staleTime: Infinity,
  });
}
