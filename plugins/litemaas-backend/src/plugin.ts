import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { litemaasPermissions } from '@litemaas/backstage-plugin-litemaas-common';
import {
  assertProductionSecrets,
  readLiteMaaSSettings,
  readRevealSettings,
} from './config';
import { createStores } from './database';
import { scheduleModelAndSubscriptionJobs } from './jobs/schedules';
import { applyDatabaseMigrations } from './database/migrations';
import { LiteLLMClient } from './litellm';
import { litemaasKeyResourceRef, litemaasKeyRules } from './permissions/rules';
import { createRouter } from './router';
import { scheduleKeyJobs } from './jobs/keyJobs';
import { scheduleRevealJobs } from './jobs/revealJobs';
import { AccessService } from './services/AccessService';
import { AuditService } from './services/AuditService';
import { HealthService } from './services/HealthService';
import { createKeyServices } from './keys';
import { KeyIdempotency } from './keys/KeyIdempotency';
import { KeyRevealDelivery } from './keys/KeyRevealDelivery';
import { ModelImpactService } from './services/ModelImpactService';
import { ModelService } from './services/ModelService';
import { RevealService } from './services/RevealService';
import { SubscriptionService } from './services/SubscriptionService';
import { StoredTeamKeyPolicy } from './teams';
import { setUpTeamsAndUsage } from './teamUsage';
import { UserService } from './services/UserService';
import { litemaasClockServiceRef } from './services/clock';

/**
 * The LiteMaaS backend plugin: REST API under `/api/litemaas`.
 *
 * @public
 */
export const litemaasPlugin = createBackendPlugin({
  pluginId: 'litemaas',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
        notifications: notificationService,
        discovery: coreServices.discovery,
        clock: litemaasClockServiceRef,
      },
      async init(deps) {
        const { logger, config, httpRouter } = deps;
        const now = () => deps.clock.now();
        assertProductionSecrets(config);
        const settings = readLiteMaaSSettings(config);
        const db = await applyDatabaseMigrations(deps.database);
        const stores = createStores(db);
        const litellm = LiteLLMClient.fromConfig(config, { logger });

        deps.permissionsRegistry.addPermissions(litemaasPermissions);
        deps.permissionsRegistry.addResourceType({
          resourceRef: litemaasKeyResourceRef,
          rules: Object.values(litemaasKeyRules),
          getResources: async ids =>
            Promise.all(ids.map(async id => stores.keys.get(id))),
        });

        const notificationsEnabled =
          config.getOptionalBoolean('litemaas.notifications.enabled') !== false;
        const access = new AccessService(
          deps.httpAuth,
          deps.userInfo,
          deps.permissions,
          deps.permissionsRegistry,
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
          notifications: notificationsEnabled ? deps.notifications : undefined,
          now,
        });
        const { keys } = keyServices;
        const revealSettings = readRevealSettings(config);
        const reveals = revealSettings.encryptionKey
          ? new RevealService(
              db,
              revealSettings.encryptionKey,
              revealSettings.ttlSeconds,
              now,
            )
          : undefined;
        const idempotency = new KeyIdempotency({
          store: stores.idempotency,
          keys: stores.keys,
          reveals,
          now,
        });
        await scheduleKeyJobs({
          scheduler: deps.scheduler,
          keys: keyServices.reconciler,
          idempotency,
          logger,
        });
        if (reveals) {
          await scheduleRevealJobs({
            scheduler: deps.scheduler,
            reveals,
            logger,
          });
        }
        const models = new ModelService({
          models: stores.models,
          subscriptions: stores.subscriptions,
          litellm,
          audit,
          logger,
          impact: new ModelImpactService({
            catalog: deps.catalog,
            auth: deps.auth,
            notifications: notificationsEnabled
              ? deps.notifications
              : undefined,
            logger,
          }),
        });
        const subscriptions = new SubscriptionService({
          subscriptions: stores.subscriptions,
          models: stores.models,
          users,
          access,
          audit,
          revoker: keyServices.reconciler,
          logger,
        });
        await scheduleModelAndSubscriptionJobs({
          scheduler: deps.scheduler,
          config,
          logger,
          models,
          subscriptions,
        });

        const teamUsage = await setUpTeamsAndUsage({
          config,
          settings,
          stores,
          litellm,
          catalog: deps.catalog,
          auth: deps.auth,
          notifications: deps.notifications,
          scheduler: deps.scheduler,
          access,
          audit,
          cache: deps.cache,
          users,
          keyReconciler: keyServices.reconciler,
          logger,
          now,
        });

        httpRouter.use(
          await createRouter({
            health: new HealthService(db, logger),
            access,
            audit,
            users,
            settings,
            auditStore: stores.audit,
            keys,
            keyAdmin: keyServices.admin,
            models,
            subscriptions,
            teams: teamUsage.teams,
            usageSync: teamUsage.usageSync,
            usageReports: teamUsage.usageReports,
            userAdmin: teamUsage.userAdmin,
            reveals,
            idempotency,
            revealDelivery: new KeyRevealDelivery({
              keys,
              reveals,
              discovery: deps.discovery,
              logger,
            }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
