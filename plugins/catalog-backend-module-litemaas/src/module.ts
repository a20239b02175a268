import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { LiteMaaSClient } from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSModelRelationsProcessor } from './processor/LiteMaaSModelRelationsProcessor';
import { readProviderConfig } from './provider/config';
import { LiteMaaSEntityProvider } from './provider/LiteMaaSEntityProvider';
import { createServiceFetch } from './provider/serviceFetch';

/**
 * Catalog module of LiteMaaS: publishes the models of the LiteMaaS backend as
 * `Resource` entities (`spec.type: ai-model`) with a gateway `Component` and `API`, and
 * relates components and systems that declare `litemaas.io/models` to them.
 *
 * @public
 */
export const catalogModuleLitemaas = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'litemaas',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ config, logger, scheduler, discovery, auth, catalog }) {
        const providerConfig = readProviderConfig(config);
        const fetchApi = createServiceFetch(auth);
        const client = new LiteMaaSClient({
          discoveryApi: discovery,
          fetchApi,
        });
        catalog.addEntityProvider(
          new LiteMaaSEntityProvider({
            config: providerConfig,
            client,
            discovery,
            fetchApi,
            logger,
            taskRunner: scheduler.createScheduledTaskRunner(
              providerConfig.schedule,
            ),
          }),
        );
        catalog.addProcessor(new LiteMaaSModelRelationsProcessor());
      },
    });
  },
});
