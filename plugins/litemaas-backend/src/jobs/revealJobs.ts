import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { RevealService } from '../services/RevealService';
import { scheduleGlobalJob } from './scheduleJob';

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
  await scheduleGlobalJob({
    scheduler,
    logger,
    id: REVEAL_PURGE_TASK_ID,
    defaults: {
      frequency: { minutes: 1 },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 15 },
    },
    fn: async () => {
      const purged = await reveals.purgeExpired();
      if (purged > 0) {
        logger.info(`Purged ${purged} expired key reveal(s)`, { purged });
      }
    },
  });
}
