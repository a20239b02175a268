import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { litemaasPermissions } from '@litemaas/backstage-plugin-litemaas-common';
import { registerLiteMaaSActions } from './actions';
import { createLiteMaaSServices } from './composition';
import { assertProductionSecrets, readLiteMaaSSettings } from './config';
import { createStores } from './database';
import { applyDatabaseMigrations } from './database/migrations';
import { scheduleLiteMaaSJobs } from './jobs';
import { LiteLLMClient } from './litellm';
import { litemaasKeyResourceRef, litemaasKeyRules } from './permissions/rules';
import { createRouter } from './router';
import { litemaasClockServiceRef } from './services/clock';

/**
 * The LiteMaaS backend plugin: REST API under `/api/litemaas`. It reads its settings,
 * migrates its database, registers its permissions, then hands the services built by
 * `createLiteMaaSServices` (composition.ts) to the jobs, the router and the actions
 * registry (`actions/`, the tools of the MCP actions backend).
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
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { logger, config, httpRouter } = deps;
        assertProductionSecrets(config);
        const settings = readLiteMaaSSettings(config);
        const db = await applyDatabaseMigrations(deps.database);
        const stores = createStores(db);

        deps.permissionsRegistry.addPermissions(litemaasPermissions);
        deps.permissionsRegistry.addResourceType({
          resourceRef: litemaasKeyResourceRef,
          rules: Object.values(litemaasKeyRules),
          getResources: async ids =>
            Promise.all(ids.map(async id => stores.keys.get(id))),
        });

        const services = createLiteMaaSServices({
          ...deps,
          settings,
          db,
          stores,
          litellm: new LiteLLMClient({ ...settings.litellm, logger }),
          now: () => deps.clock.now(),
        });
        await scheduleLiteMaaSJobs({
          scheduler: deps.scheduler,
          config,
          logger,
          services,
        });
        httpRouter.use(await createRouter(services));
        registerLiteMaaSActions(deps.actionsRegistry, {
          ...services,
          appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
        });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
