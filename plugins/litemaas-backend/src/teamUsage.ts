import {
  AuthService,
  CacheService,
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
import {
  TeamLiveSpend,
  TeamMembershipSync,
  TeamService,
  TeamSettingsWriter,
} from './teams';
import { UsageReportService, UsageSyncService } from './usage';
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
  cache: CacheService;
  /** Takes models a team no longer allows out of its keys. */
  keyReconciler: KeyReconciler;
  logger: LoggerService;
  now: () => Date;
}): Promise<{
  teams: TeamService;
  usageSync: UsageSyncService;
  usageReports: UsageReportService;
  userAdmin: UserAdminService;
  alerts: AlertService;
}> {
  const { stores, logger } = options;
  const s = readTeamUsageSettings(options.config);
  const live = new TeamLiveSpend(options.cache, options.litellm);
  const teamSettings = new TeamSettingsWriter({
    teams: stores.teams,
    litellm: options.litellm,
    live,
    revoker: options.keyReconciler,
  });
  const membership = new TeamMembershipSync({
    teams: stores.teams,
    litellm: options.litellm,
    cache: options.cache,
    catalog: options.catalog,
    auth: options.auth,
    users: options.users,
    settings: teamSettings,
    logger,
    now: options.now,
  });
  const teams = new TeamService({
    teams: stores.teams,
    access: options.access,
    audit: options.audit,
    live,
    membership,
    settings: teamSettings,
  });
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
  const usageSync = new UsageSyncService({
    usage: stores.usage,
    teamStore: stores.teams,
    litellm: options.litellm,
    access: options.access,
    audit: options.audit,
    settings: s.usage,
    alerts,
    logger,
    now: options.now,
  });
  const usageReports = new UsageReportService({
    usage: stores.usage,
    teamStore: stores.teams,
    teams: membership,
    keys: stores.keys,
    catalog: options.catalog,
    auth: options.auth,
    access: options.access,
    currency: options.settings.currency,
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
    teams: membership,
    usage: usageSync,
  });
  return { teams, usageSync, usageReports, userAdmin, alerts };
}
