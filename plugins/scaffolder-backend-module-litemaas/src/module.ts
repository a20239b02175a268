import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

/**
 * Scaffolder module of LiteMaaS. It will register the `litemaas:*` template actions
 * (ensure a subscription, mint a key for a new service); for now it only registers
 * itself with the scaffolder so the portal's wiring is in place.
 *
 * @public
 */
export const scaffolderModuleLitemaas = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'litemaas',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.info('LiteMaaS scaffolder module registered');
      },
    });
  },
});
