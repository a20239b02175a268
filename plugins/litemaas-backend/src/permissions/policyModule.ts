import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { LiteMaaSSamplePolicy } from './LiteMaaSSamplePolicy';

/**
 * The permission policy of the portal: installs {@link LiteMaaSSamplePolicy}, with the
 * admin groups from `litemaas.adminGroups`. The portal (`packages/backend`) and the test
 * backend of every LiteMaaS test install this same module next to the real permission
 * backend, so the tests exercise the policy and its conditional rules as production does.
 *
 * @public
 */
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
