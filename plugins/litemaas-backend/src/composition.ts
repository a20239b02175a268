import {
  AuditorService,
  AuthService,
  CacheService,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { LiteMaaSSettings } from './config';
import { Stores } from './database';
import { createKeyServices, KeyReconciler } from './keys';
import { KeyIdempotency } from './keys/KeyIdempotency';
import { KeyRevealDelivery } from './keys/KeyRevealDelivery';
import { LiteLLMApi } from './litellm';
import { RouterOptions } from './router';
import { RequestCallers } from './routes/RequestCallers';
import { AccessService } from './services/AccessService';
import { AlertService } from './services/AlertService';
import { AuditService } from './services/AuditService';
import { HealthService } from './services/HealthService';
import { ModelImpactService } from './services/ModelImpactService';
import { ModelService } from './services/ModelService';
import { RevealService } from './services/RevealService';
import { SubscriptionService } from './services/SubscriptionService';
import { SubscriptionReapproval } from './services/SubscriptionReapproval';
import { UserAdminService } from './services/UserAdminService';
import { UserService } from './services/UserService';
import {
  StoredTeamKeyPolicy,
  TeamLiveSpend,
  TeamMembershipSync,
  TeamService,
  TeamSettingsWriter,
} from './teams';
import { UsageReportService, UsageSyncService } from './usage';

/** What the services are built from: the plugin's core services and its own parts. */
export interface LiteMaaSServiceDeps {
  settings: LiteMaaSSettings;
  db: Knex;
  stores: Stores;
  litellm: LiteLLMApi;
  logger: LoggerService;
  cache: CacheService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** With the key resource type registered already (the access checks read its rules). */
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  auth: AuthService;
  catalog: CatalogService;
  notifications: NotificationService;
  discovery: DiscoveryService;
  now: () => Date;
}

/** Every LiteMaaS service: what the router serves, and what the jobs run. */
export interface LiteMaaSServices extends RouterOptions {
  keyReconciler: KeyReconciler;
  teamMembership: TeamMembershipSync;
}

/**
 * Builds the service graph once, each service after what it depends on, so no service is
 * wired after construction. The team side reads teams from the store for the key side
 * ({@link StoredTeamKeyPolicy}), so the key services come first and the team settings
 * writer gets the key reconciler in its constructor.
 */
export function createLiteMaaSServices(
  deps: LiteMaaSServiceDeps,
): LiteMaaSServices {
  const { settings, stores, litellm, logger, now } = deps;
  const notifications = settings.notifications.enabled
    ? deps.notifications
    : undefined;

  const access = new AccessService(
    deps.permissions,
    deps.permissionsRegistry,
    deps.cache,
  );
  const audit = new AuditService(stores.audit, deps.auditor, logger);
  const users = new UserService(stores.users, litellm, settings, logger);

  const keyServices = createKeyServices({
    teams: new StoredTeamKeyPolicy(stores.teams),
    keys: stores.keys,
    subscriptions: stores.subscriptions,
    litellm,
    cache: deps.cache,
    access,
    audit,
    users,
    settings,
    logger,
    catalog: deps.catalog,
    auth: deps.auth,
    notifications,
    now,
  });
  const reveals = settings.reveal.encryptionKey
    ? new RevealService(
        deps.db,
        settings.reveal.encryptionKey,
        settings.reveal.ttlSeconds,
        now,
      )
    : undefined;

  const subscriptions = new SubscriptionService({
    subscriptions: stores.subscriptions,
    models: stores.models,
    users,
    access,
    audit,
    revoker: keyServices.reconciler,
    logger,
  });
  const models = new ModelService({
    models: stores.models,
    subscriptions: stores.subscriptions,
    litellm,
    audit,
    logger,
    reapproval: new SubscriptionReapproval({
      subscriptions: stores.subscriptions,
      revoker: keyServices.reconciler,
      logger,
      notifications,
    }),
    impact: new ModelImpactService({
      catalog: deps.catalog,
      auth: deps.auth,
      notifications,
      logger,
    }),
  });

  const teamLive = new TeamLiveSpend(deps.cache, litellm);
  const teamSettings = new TeamSettingsWriter({
    teams: stores.teams,
    litellm,
    live: teamLive,
    revoker: keyServices.reconciler,
  });
  const teamMembership = new TeamMembershipSync({
    teams: stores.teams,
    litellm,
    cache: deps.cache,
    catalog: deps.catalog,
    auth: deps.auth,
    users,
    settings: teamSettings,
    logger,
    now,
  });

  const alerts = new AlertService({
    alerts: stores.alerts,
    notifications,
    litellm,
    teams: stores.teams,
    keys: stores.keys,
    subscriptions: stores.subscriptions,
    logger,
    settings: settings.notifications,
    now,
  });

  return {
    logger,
    health: new HealthService(deps.db, logger),
    access,
    callers: new RequestCallers(deps.httpAuth, deps.userInfo, deps.auditor),
    audit,
    users,
    settings,
    auditStore: stores.audit,
    keys: keyServices.keys,
    keyAdmin: keyServices.admin,
    keyReconciler: keyServices.reconciler,
    models,
    subscriptions,
    teams: new TeamService({
      teams: stores.teams,
      access,
      audit,
      live: teamLive,
      membership: teamMembership,
      settings: teamSettings,
    }),
    teamMembership,
    usageSync: new UsageSyncService({
      usage: stores.usage,
      teamStore: stores.teams,
      litellm,
      access,
      audit,
      settings: settings.usage,
      alerts,
      logger,
      now,
    }),
    usageReports: new UsageReportService({
      usage: stores.usage,
      teams: teamMembership,
      keys: stores.keys,
      catalog: deps.catalog,
      auth: deps.auth,
      access,
      currency: settings.currency,
    }),
    userAdmin: new UserAdminService({
      store: stores.users,
      users,
      litellm,
      access,
      audit,
      settings,
    }),
    reveals,
    idempotency: new KeyIdempotency({
      store: stores.idempotency,
      keys: stores.keys,
      reveals,
      now,
    }),
    revealDelivery: new KeyRevealDelivery({
      keys: keyServices.keys,
      reveals,
      discovery: deps.discovery,
      logger,
    }),
  };
}
