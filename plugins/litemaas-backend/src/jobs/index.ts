import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { LiteMaaSServices } from '../composition';
import { scheduleKeyJobs } from './keyJobs';
import { scheduleRevealJobs } from './revealJobs';
import { scheduleModelAndSubscriptionJobs } from './schedules';
import { scheduleUsageJobs } from './usageJobs';

/**
 * Every scheduled job of the plugin, in `global` scope (once per schedule across
 * replicas); `litemaas.schedules.*` overrides the defaults where a job allows it.
 */
export async function scheduleLiteMaaSJobs(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  logger: LoggerService;
  services: LiteMaaSServices;
}): Promise<void> {
  const { scheduler, config, logger, services } = options;
  await scheduleKeyJobs({
    scheduler,
    keys: services.keyReconciler,
    idempotency: services.idempotency,
    logger,
  });
  if (services.reveals) {
    await scheduleRevealJobs({
      scheduler,
      reveals: services.reveals,
      logger,
    });
  }
  await scheduleModelAndSubscriptionJobs({
    scheduler,
    config,
    logger,
    models: services.models,
    subscriptions: services.subscriptions,
  });
  await scheduleUsageJobs({
    scheduler,
    config,
    logger,
    teams: services.teamMembership,
    usage: services.usageSync,
  });
}
