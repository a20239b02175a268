import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { litemaasPermissions } from '@litemaas/backstage-plugin-litemaas-common';
import { readLiteMaaSSettings } from './config';
import { createStores } from './database';
import { applyDatabaseMigrations } from './database/migrations';
import { LiteLLMClient } from './litellm';
import { litemaasKeyResourceRef, litemaasKeyRules } from './permissions/rules';
import { createRouter } from './router';
import { AccessService } from './services/AccessService';
import { AuditService } from './services/AuditService';
import { HealthService } from './services/HealthService';
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

        httpRouter.use(
          await createRouter({
            health: new HealthService(db, logger),
            access,
            audit,
            users,
            settings,
            auditStore: stores.audit,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
