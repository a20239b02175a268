import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ModelService } from '../services/ModelService';
import { SubscriptionService } from '../services/SubscriptionService';
import { scheduleGlobalJob } from './scheduleJob';

export const MODEL_SYNC_TASK_ID = 'litemaas-model-sync';
export const SUBSCRIPTION_EXPIRY_TASK_ID = 'litemaas-subscription-expiry';

/**
 * The scheduled jobs of models and subscriptions (`litemaas.schedules.modelSync` and
 * `.subscriptionExpiry` override the defaults).
 */
export async function scheduleModelAndSubscriptionJobs(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  logger: LoggerService;
  models: ModelService;
  subscriptions: SubscriptionService;
}): Promise<void> {
  const { scheduler, config, logger, models, subscriptions } = options;

  await scheduleGlobalJob({
    scheduler,
    config,
    logger,
    id: MODEL_SYNC_TASK_ID,
    configName: 'modelSync',
    defaults: {
      frequency: { minutes: 5 },
      timeout: { minutes: 2 },
      // Start-up never waits for LiteLLM: the first sync runs once the backend is up.
      initialDelay: { seconds: 1 },
    },
    // Never throws: a LiteLLM outage is logged and the database keeps serving.
    fn: () => models.syncScheduled(),
  });

  await scheduleGlobalJob({
    scheduler,
    config,
    logger,
    id: SUBSCRIPTION_EXPIRY_TASK_ID,
    configName: 'subscriptionExpiry',
    defaults: {
      frequency: { minutes: 1 },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 10 },
    },
    fn: async () => {
      const expired = await subscriptions.expireDue(new Date());
      if (expired > 0) {
        logger.info(`Expired ${expired} time-limited LiteMaaS subscriptions`);
      }
    },
  });
}
