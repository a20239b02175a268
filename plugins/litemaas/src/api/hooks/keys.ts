import type {
  ApiKey,
  CreateKeyRequest,
  RotateKeyRequest,
  UpdateKeyRequest,
} from '@litemaas/backstage-plugin-litemaas-common';
import {
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { KeyWithUsage } from '../types';
import { queryKeys } from './queryKeys';
import { useLiteMaaSApi } from './useLiteMaaSApi';

/** Keys I or my teams own, live and blocked and expired (`GET /keys`). */
export function useKeys() {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.keyList(),
    queryFn: () => api.listKeys(),
  });
}

/** One key with its live spend (`GET /keys/:id`). */
export function useKey(id: string | undefined) {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.key(id ?? ''),
    queryFn: () => api.getKey(id!),
    enabled: Boolean(id),
  });
}

/**
 * Live usage of several keys, by key id. The list route carries no spend, so each key is
 * read on its own (the backend caches LiteLLM's answer ~30 s); a failed read leaves that
 * key's usage unknown instead of failing the list.
 */
export function useKeysUsage(
  keys: readonly ApiKey[],
): Map<string, KeyWithUsage['usage'] | null> {
  const api = useLiteMaaSApi();
  const results = useQueries({
    queries: keys.map(key => ({
      queryKey: queryKeys.key(key.id),
      queryFn: () => api.getKey(key.id),
      retry: false,
    })),
  });
  return new Map(
    keys.map((key, i) => [key.id, results[i]?.data?.usage ?? null]),
  );
}

/**
 * Mutations whose answer carries a secret are never kept in the mutation cache
 * (`gcTime: 0`); callers hand the answer to the secret modal and reset the mutation.
 */
const SECRET_SAFE = { gcTime: 0 } as const;

function useInvalidateKeys() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.keys() });
}

/** Mints a key; the answer holds its secret, once. */
export function useCreateKey() {
  const api = useLiteMaaSApi();
  const invalidate = useInvalidateKeys();
  return useMutation({
    ...SECRET_SAFE,
    mutationFn: (request: Omit<CreateKeyRequest, 'deliver'>) =>
      api.createKey(request),
    onSuccess: invalidate,
  });
}

/** Changes a key's name, models or limits. */
export function useUpdateKey() {
  const api = useLiteMaaSApi();
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: (input: { id: string; patch: UpdateKeyRequest }) =>
      api.updateKey(input.id, input.patch),
    onSuccess: invalidate,
  });
}

/** Rotates a key; the answer holds the new secret, once. */
export function useRotateKey() {
  const api = useLiteMaaSApi();
  const invalidate = useInvalidateKeys();
  return useMutation({
    ...SECRET_SAFE,
    mutationFn: (input: { id: string; request: RotateKeyRequest }) =>
      api.rotateKey(input.id, input.request),
    onSuccess: invalidate,
  });
}

/** Revokes a key at once. */
export function useRevokeKey() {
  const api = useLiteMaaSApi();
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: (id: string) => api.revokeKey(id),
    onSuccess: invalidate,
  });
}

/**
 * Reads a one-time reveal (`GET /reveal/:token`). A mutation, not a query: it works
 * once, so it must never be refetched or cached.
 */
export function useRevealSecret() {
  const api = useLiteMaaSApi();
  return useMutation({
    ...SECRET_SAFE,
    mutationFn: (token: string) => api.revealSecret(token),
  });
}
