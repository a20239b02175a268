import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { LiteMaaSSamplePolicy } from '@litemaas/backstage-plugin-litemaas-backend';

/** Installs {@link LiteMaaSSamplePolicy}; admin groups come from `litemaas.adminGroups`. */
export const permissionModuleLiteMaaSPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'litemaas-portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        const adminGroups = config.getOptionalStringArray(
          'litemaas.adminGroups',
        ) ?? ['group:default/platform-team'];
        policy.setPolicy(new LiteMaaSSamplePolicy(userInfo, adminGroups));
      },
    });
  },
});
