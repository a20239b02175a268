import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { litemaasPermissions } from '@litemaas/backstage-plugin-litemaas-common';
import { readLiteMaaSSettings } from './config';
import { createStores } from './database';
import { scheduleModelAndSubscriptionJobs } from './jobs/schedules';
import { applyDatabaseMigrations } from './database/migrations';
import { LiteLLMClient } from './litellm';
import { litemaasKeyResourceRef, litemaasKeyRules } from './permissions/rules';
import { createRouter } from './router';
import { scheduleKeyJobs } from './jobs/keyJobs';
import { AccessService } from './services/AccessService';
import { AuditService } from './services/AuditService';
import { HealthService } from './services/HealthService';
import { KeyService } from './services/KeyService';
import { ModelService } from './services/ModelService';
import { SubscriptionService } from './services/SubscriptionService';
import { UserService } from './services/UserService';

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
      },
      async init(deps) {
        const { logger, config, httpRouter } = deps;
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

        const access = new AccessService(
          deps.httpAuth,
          deps.userInfo,
          deps.permissions,
          deps.permissionsRegistry,
        );
        const audit = new AuditService(stores.audit, deps.auditor, logger);
        const users = new UserService(stores.users, litellm, settings, logger);
        const keys = new KeyService({
          keys: stores.keys,
          subscriptions: stores.subscriptions,
          litellm,
          access,
          audit,
          users,
          settings,
          logger,
        });
        await scheduleKeyJobs({ scheduler: deps.scheduler, keys, logger });
        const models = new ModelService({
          models: stores.models,
          subscriptions: stores.subscriptions,
          litellm,
          audit,
          logger,
        });
        const subscriptions = new SubscriptionService({
          subscriptions: stores.subscriptions,
          models: stores.models,
          users,
          access,
          audit,
          revoker: keys,
          logger,
        });
        await scheduleModelAndSubscriptionJobs({
          scheduler: deps.scheduler,
          config,
          logger,
          models,
          subscriptions,
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
            models,
            subscriptions,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
