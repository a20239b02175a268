import type {
  CreateKeyRequest,
  RotateKeyRequest,
  UpdateKeyRequest,
} from '@litemaas/backstage-plugin-litemaas-common';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KeyUsage } from '../types';
import { queryKeys } from './queryKeys';
import { useLiteMaaSApi } from './useLiteMaaSApi';

/** Keys I or my teams own, live and blocked and expired (`GET /keys`, the database only). */
export function useKeys() {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.keyList(),
    queryFn: () => api.listKeys(),
  });
}

/**
 * The live usage of my and my teams' keys, by key id, in one request
 * (`GET /keys?include=usage`: the backend reads LiteLLM in batches and caches it ~30 s).
 * A query of its own, so the list shows at once and only the screens that show spend
 * wait on LiteLLM; a failure leaves every spend unknown instead of failing the list.
 */
export function useKeysUsage(): Map<string, KeyUsage> {
  const api = useLiteMaaSApi();
  const { data } = useQuery({
    queryKey: queryKeys.keyUsage(),
    queryFn: () => api.listKeys({ include: 'usage' }),
    retry: false,
  });
  const usage = new Map<string, KeyUsage>();
  for (const key of data?.items ?? []) {
    if (key.usage) usage.set(key.id, key.usage);
  }
  return usage;
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
