import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { KeyIdempotency } from '../keys/KeyIdempotency';
import { KeyReconciler } from '../keys/KeyReconciler';
import { scheduleGlobalJob } from './scheduleJob';

/** Task ids, as they appear in the scheduler's table and logs. */
export const KEY_RECONCILE_TASK_ID = 'litemaas-key-reconcile';
export const KEY_GRACE_TASK_ID = 'litemaas-key-grace';
export const KEY_IDEMPOTENCY_PURGE_TASK_ID = 'litemaas-key-idempotency-purge';

/**
 * Schedules the key jobs, each run by one replica at a time (global scope):
 * - `litemaas-key-reconcile` every 10 minutes: settles stuck creations, deletes orphan
 *   LiteLLM keys, marks keys LiteLLM lost, puts drifted model lists back;
 * - `litemaas-key-grace` every minute: deletes rotated-out keys whose grace ended;
 * - `litemaas-key-idempotency-purge` every hour: forgets `Idempotency-Key`s older than a day.
 * Both are also callable directly (KeyReconciler.reconcile / expireGracePeriods, and the
 * admin routes `POST /admin/keys/reconcile` and `/admin/keys/expire-grace`).
 */
export async function scheduleKeyJobs(options: {
  scheduler: SchedulerService;
  keys: KeyReconciler;
  idempotency: KeyIdempotency;
  logger: LoggerService;
}): Promise<void> {
  const { scheduler, keys, idempotency, logger } = options;
  await scheduleGlobalJob({
    scheduler,
    logger,
    id: KEY_RECONCILE_TASK_ID,
    defaults: {
      frequency: { minutes: 10 },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 1 },
    },
    fn: () => keys.reconcile(),
  });
  await scheduleGlobalJob({
    scheduler,
    logger,
    id: KEY_GRACE_TASK_ID,
    defaults: {
      frequency: { minutes: 1 },
      timeout: { minutes: 2 },
      initialDelay: { seconds: 30 },
    },
    fn: () => keys.expireGracePeriods(),
  });
  await scheduleGlobalJob({
    scheduler,
    logger,
    id: KEY_IDEMPOTENCY_PURGE_TASK_ID,
    defaults: {
      frequency: { hours: 1 },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 5 },
    },
    fn: () => idempotency.purgeExpired(),
  });
}
