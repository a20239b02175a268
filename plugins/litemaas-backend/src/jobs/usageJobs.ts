import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { TeamMembershipSync } from '../teams';
import { UsageSyncService } from '../usage';
import { scheduleGlobalJob } from './scheduleJob';

export const USAGE_SYNC_TASK_ID = 'litemaas-usage-sync';
export const TEAM_SYNC_TASK_ID = 'litemaas-team-sync';

/**
 * The team and usage jobs, in `global` scope: the scheduler runs each once per schedule
 * across all replicas (a database lock on PostgreSQL).
 * - `litemaas-team-sync`: catalog annotations and group members → LiteLLM teams;
 * - `litemaas-usage-sync`: LiteLLM daily activity → `usage_daily`, then the alerts.
 */
export async function scheduleUsageJobs(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  logger: LoggerService;
  teams: TeamMembershipSync;
  usage: UsageSyncService;
}): Promise<void> {
  const { scheduler, config, logger, teams, usage } = options;
  await scheduleGlobalJob({
    scheduler,
    config,
    logger,
    id: TEAM_SYNC_TASK_ID,
    configName: 'teamSync',
    defaults: {
      frequency: { minutes: 15 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 30 },
    },
    fn: () => teams.syncAll(),
  });
  await scheduleGlobalJob({
    scheduler,
    config,
    logger,
    id: USAGE_SYNC_TASK_ID,
    configName: 'usageSync',
    defaults: {
      frequency: { minutes: 10 },
      timeout: { minutes: 30 },
      initialDelay: { minutes: 1 },
    },
    fn: () => usage.runScheduled(),
  });
}
