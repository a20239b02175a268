import { useMemo } from 'react';
import { useSubscriptions } from '../../api';

/**
 * The models an owner may put on a key: its own active, unexpired subscriptions (the
 * API checks the same). Team keys use the team's subscriptions, not the creator's.
 */
export function useOwnerModels(ownerRef: string | undefined) {
  const subscriptions = useSubscriptions();
  const models = useMemo(() => {
    const now = Date.now();
    return [
      ...new Set(
        (subscriptions.data?.items ?? [])
          .filter(
            s =>
              s.subjectRef === ownerRef &&
              s.status === 'active' &&
              (!s.expiresAt || new Date(s.expiresAt).getTime() > now),
          )
          .map(s => s.modelId),
      ),
    ].sort();
  }, [subscriptions.data, ownerRef]);
  return { models, query: subscriptions };
}
