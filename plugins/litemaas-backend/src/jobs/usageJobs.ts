import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { TeamService } from '../services/TeamService';
import { UsageService } from '../services/UsageService';

export const USAGE_SYNC_TASK_ID = 'litemaas-usage-sync';
export const TEAM_SYNC_TASK_ID = 'litemaas-team-sync';

const DEFAULTS: Record<
  'usageSync' | 'teamSync',
  SchedulerServiceTaskScheduleDefinition
> = {
  usageSync: {
    frequency: { minutes: 10 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 1 },
  },
  teamSync: {
    frequency: { minutes: 15 },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 30 },
  },
};

function schedule(config: RootConfigService, name: keyof typeof DEFAULTS) {
  const key = `litemaas.schedules.${name}`;
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : DEFAULTS[name];
}

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
  teams: TeamService;
  usage: UsageService;
}): Promise<void> {
  const { scheduler, config, logger, teams, usage } = options;
  const logged = (taskId: string, fn: () => Promise<unknown>) => async () => {
    try {
      await fn();
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      logger.error(`Task ${taskId} failed`, {
        taskId,
        name: e.name,
        message: e.message,
      });
    }
  };
  await scheduler.scheduleTask({
    id: TEAM_SYNC_TASK_ID,
    ...schedule(config, 'teamSync'),
    scope: 'global',
    fn: logged(TEAM_SYNC_TASK_ID, () => teams.syncAll()),
  });
  await scheduler.scheduleTask({
    id: USAGE_SYNC_TASK_ID,
    ...schedule(config, 'usageSync'),
    scope: 'global',
    fn: logged(USAGE_SYNC_TASK_ID, () => usage.runScheduled()),
  });
}
