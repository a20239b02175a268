import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

/**
 * Catalog module of LiteMaaS. It will publish LiteLLM models as `Resource` entities
 * (`spec.type: ai-model`) read from the LiteMaaS backend; for now it only registers
 * itself with the catalog so the portal's wiring is in place.
 *
 * @public
 */
export const catalogModuleLitemaas = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'litemaas',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.info('LiteMaaS catalog module registered');
      },
    });
  },
});
