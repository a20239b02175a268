import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ModelService } from '../services/ModelService';
import { SubscriptionService } from '../services/SubscriptionService';

export const MODEL_SYNC_TASK_ID = 'litemaas-model-sync';
export const SUBSCRIPTION_EXPIRY_TASK_ID = 'litemaas-subscription-expiry';

const DEFAULT_SCHEDULES: Record<
  string,
  SchedulerServiceTaskScheduleDefinition
> = {
  modelSync: {
    frequency: { minutes: 5 },
    timeout: { minutes: 2 },
    // Start-up never waits for LiteLLM: the first sync runs once the backend is up.
    initialDelay: { seconds: 1 },
  },
  subscriptionExpiry: {
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 10 },
  },
};

/** `litemaas.schedules.<name>` when configured, else the default schedule. */
export function readSchedule(
  config: RootConfigService,
  name: keyof typeof DEFAULT_SCHEDULES,
): SchedulerServiceTaskScheduleDefinition {
  const key = `litemaas.schedules.${name}`;
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : DEFAULT_SCHEDULES[name];
}

/**
 * The scheduled jobs of models and subscriptions. Both run in `global` scope: once
 * across all replicas of the backend.
 */
export async function scheduleModelAndSubscriptionJobs(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  logger: LoggerService;
  models: ModelService;
  subscriptions: SubscriptionService;
}): Promise<void> {
  const { scheduler, config, logger, models, subscriptions } = options;

  await scheduler.scheduleTask({
    id: MODEL_SYNC_TASK_ID,
    ...readSchedule(config, 'modelSync'),
    // After the spread: a configured schedule must not make the job run per replica.
    scope: 'global',
    // Never throws: a LiteLLM outage is logged and the database keeps serving.
    fn: async () => {
      await models.syncScheduled();
    },
  });

  await scheduler.scheduleTask({
    id: SUBSCRIPTION_EXPIRY_TASK_ID,
    ...readSchedule(config, 'subscriptionExpiry'),
    scope: 'global',
    fn: async () => {
      const expired = await subscriptions.expireDue(new Date());
      if (expired > 0) {
        logger.info(`Expired ${expired} time-limited LiteMaaS subscriptions`);
      }
    },
  });
}
