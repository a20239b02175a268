import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { LiteMaaSPortalPolicy } from './LiteMaaSPortalPolicy';

/** Installs {@link LiteMaaSPortalPolicy}; admin groups come from `litemaas.adminGroups`. */
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
        policy.setPolicy(new LiteMaaSPortalPolicy(userInfo, adminGroups));
      },
    });
  },
});
