import {
  AuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { LiteMaaSSettings } from './config';
import { Stores } from './database';
import { scheduleUsageJobs } from './jobs/usageJobs';
import { LiteLLMApi } from './litellm';
import { readTeamUsageSettings } from './usageConfig';
import { AccessService } from './services/AccessService';
import { AlertService } from './services/AlertService';
import { AuditService } from './services/AuditService';
import { KeyReconciler } from './keys/KeyReconciler';
import { TeamService } from './services/TeamService';
import { UsageService } from './services/UsageService';
import { UserAdminService } from './services/UserAdminService';
import { UserService } from './services/UserService';

/**
 * Wires usage, alerts and user administration around the team service, and schedules
 * their jobs (kept out of plugin.ts so it stays a list of parts).
 */
export async function setUpTeamsAndUsage(options: {
  config: RootConfigService;
  settings: LiteMaaSSettings;
  stores: Stores;
  litellm: LiteLLMApi;
  catalog: CatalogService;
  auth: AuthService;
  notifications?: NotificationService;
  scheduler: SchedulerService;
  access: AccessService;
  audit: AuditService;
  users: UserService;
  teams: TeamService;
  /** Takes models a team no longer allows out of its keys. */
  keyReconciler: KeyReconciler;
  logger: LoggerService;
  now: () => Date;
}): Promise<{
  usage: UsageService;
  userAdmin: UserAdminService;
  alerts: AlertService;
}> {
  const { stores, logger } = options;
  const s = readTeamUsageSettings(options.config);
  options.teams.setKeyModelRevoker(options.keyReconciler);
  const alerts = new AlertService({
    alerts: stores.alerts,
    notifications: s.alerts.enabled ? options.notifications : undefined,
    litellm: options.litellm,
    teams: stores.teams,
    keys: stores.keys,
    subscriptions: stores.subscriptions,
    logger,
    settings: s.alerts,
    now: options.now,
  });
  const usage = new UsageService({
    usage: stores.usage,
    teamStore: stores.teams,
    teams: options.teams,
    keys: stores.keys,
    litellm: options.litellm,
    catalog: options.catalog,
    auth: options.auth,
    access: options.access,
    audit: options.audit,
    currency: options.settings.currency,
    settings: s.usage,
    alerts,
    logger,
    now: options.now,
  });
  const userAdmin = new UserAdminService({
    store: stores.users,
    users: options.users,
    litellm: options.litellm,
    access: options.access,
    audit: options.audit,
    settings: options.settings,
  });
  await scheduleUsageJobs({
    scheduler: options.scheduler,
    config: options.config,
    logger,
    teams: options.teams,
    usage,
  });
  return { usage, userAdmin, alerts };
}
