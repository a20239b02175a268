import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/**
 * Schedules one LiteMaaS job in `global` scope (the scheduler runs it once per schedule
 * across all replicas). `litemaas.schedules.<configName>` overrides the default schedule
 * but never the scope. Failures are logged with the task id (name and message only: no
 * request bodies) and rethrown for the scheduler.
 */
export async function scheduleGlobalJob(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  id: string;
  defaults: SchedulerServiceTaskScheduleDefinition;
  config?: RootConfigService;
  configName?: string;
  fn: () => Promise<unknown>;
}): Promise<void> {
  const { scheduler, logger, id, config, configName, fn } = options;
  const key = `litemaas.schedules.${configName}`;
  const schedule =
    config && configName && config.has(key)
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig(key),
        )
      : options.defaults;
  await scheduler.scheduleTask({
    id,
    ...schedule,
    // After the spread: a configured schedule must not make the job run per replica.
    scope: 'global',
    fn: async () => {
      try {
        await fn();
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        logger.error(`Task ${id} failed`, {
          taskId: id,
          name: e.name,
          message: e.message,
        });
        throw error;
      }
    },
  });
}
