import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  litemaasSubscriptionApprovePermission,
  type SubscriptionStatus,
} from '@litemaas/backstage-plugin-litemaas-common';
import { queryKeys } from './queryKeys';
import { useLiteMaaSApi } from './useLiteMaaSApi';
import { useModels } from './models';
import { useCurrentUser } from './identity';

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

/** The most requests one read shows; the list says when there are more. */
export const DECISIONS_PAGE = 200;

/**
 * The requests I may decide, in a status (`GET /admin/subscriptions`): every one for
 * an admin, those for models my groups own for an approver. The backend decides.
 */
export function useSubscriptionsForDecision(
  status: SubscriptionStatus,
  options: { enabled?: boolean } = {},
) {
  const api = useLiteMaaSApi();
  return useQuery({
    queryKey: queryKeys.decisions(status),
    queryFn: () =>
      api.listSubscriptionsForDecision({ status, limit: DECISIONS_PAGE }),
    enabled: options.enabled ?? true,
  });
}

/** A decision on a request: approve (optionally until a date) or deny with a reason. */
export type SubscriptionDecision =
  | { id: string; decision: 'approve'; expiresAt?: string; reason?: string }
  | { id: string; decision: 'deny'; reason: string };

/** Approves or denies a request; refreshes every subscription, model and key view. */
export function useDecideSubscription() {
  const api = useLiteMaaSApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (decision: SubscriptionDecision) =>
      decision.decision === 'approve'
        ? api.approveSubscription(decision.id, {
            ...(decision.expiresAt && { expiresAt: decision.expiresAt }),
            ...(decision.reason && { reason: decision.reason }),
          })
        : api.denySubscription(decision.id, { reason: decision.reason }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.subscriptions() }),
        client.invalidateQueries({ queryKey: queryKeys.models() }),
        client.invalidateQueries({ queryKey: queryKeys.keys() }),
      ]),
  });
}

/**
 * Whether I decide access requests, to show or hide the approvals screen: admins hold
 * `litemaas.subscription.approve`; approvers are members of a model's owner group. This
 * only hides what I could not use; the backend checks every read and decision again.
 */
export function useCanDecideSubscriptions(): {
  loading: boolean;
  allowed: boolean;
} {
  const permission = usePermission({
    permission: litemaasSubscriptionApprovePermission,
  });
  const models = useModels();
  const user = useCurrentUser();
  const ownership = new Set(user.data?.ownershipEntityRefs ?? []);
  const ownsAModel = (models.data?.items ?? []).some(
    m => m.ownerGroupRef && ownership.has(m.ownerGroupRef),
  );
  if (permission.allowed || ownsAModel)
    return { loading: false, allowed: true };
  return {
    loading: permission.loading || models.isPending || user.isPending,
    allowed: false,
  };
}
