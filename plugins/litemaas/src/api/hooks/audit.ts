import { useInfiniteQuery } from '@tanstack/react-query';
import { queryKeys, type AuditFilters } from './queryKeys';
import { useLiteMaaSApi } from './useLiteMaaSApi';

/** Entries per page of the audit screen. */
export const AUDIT_PAGE = 50;

/**
 * The audit trail, newest first, within `filters`; `fetchNextPage` reads the next page
 * by the backend's cursor (`GET /admin/audit`, `litemaas.audit.read`).
 */
export function useAuditEntries(
  filters: AuditFilters,
  options: { enabled?: boolean } = {},
) {
  const api = useLiteMaaSApi();
  return useInfiniteQuery({
    queryKey: queryKeys.audit(filters),
    queryFn: ({ pageParam }) =>
      api.listAuditEntries({
        ...filters,
        limit: AUDIT_PAGE,
        ...(pageParam && { cursor: pageParam }),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: page => page.nextCursor,
    enabled: options.enabled ?? true,
  });
}
