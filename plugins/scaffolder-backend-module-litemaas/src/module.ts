import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCreateKeyAction } from './actions/createKey';
import { createEnsureSubscriptionAction } from './actions/ensureSubscription';

/**
 * Scaffolder module of LiteMaaS: registers `litemaas:subscription:ensure` and
 * `litemaas:key:create`. Both call the LiteMaaS backend's REST API on behalf of the
 * user running the template, so the backend applies that user's permissions and
 * group memberships; the key's secret never enters the task.
 *
 * @public
 */
export const scaffolderModuleLitemaas = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'litemaas',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, auth, discovery }) {
        scaffolder.addActions(
          createEnsureSubscriptionAction({ auth, discovery }),
          createCreateKeyAction({ auth, discovery }),
        );
      },
    });
  },
});
