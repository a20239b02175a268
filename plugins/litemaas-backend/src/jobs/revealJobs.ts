import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { RevealService } from '../services/RevealService';

/** Task id, as it appears in the scheduler's table and logs. */
export const REVEAL_PURGE_TASK_ID = 'litemaas-reveal-purge';

/**
 * Schedules `litemaas-reveal-purge` (global scope, every minute): deletes reveals whose
 * time is up, so an unread secret does not outlive its link even in encrypted form.
 * Reading an expired reveal deletes it too.
 */
export async function scheduleRevealJobs(options: {
  scheduler: SchedulerService;
  reveals: RevealService;
  logger: LoggerService;
}): Promise<void> {
  const { scheduler, reveals, logger } = options;
  await scheduler.scheduleTask({
    id: REVEAL_PURGE_TASK_ID,
    scope: 'global',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 15 },
    fn: async () => {
      try {
        const purged = await reveals.purgeExpired();
        if (purged > 0) {
          logger.info(`Purged ${purged} expired key reveal(s)`, { purged });
        }
      } catch (error) {
        logger.error(`Task ${REVEAL_PURGE_TASK_ID} failed`, {
          taskId: REVEAL_PURGE_TASK_ID,
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
    },
  });
}
