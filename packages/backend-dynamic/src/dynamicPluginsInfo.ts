import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { dynamicPluginsServiceRef } from '@backstage/backend-dynamic-feature-service';
import { Router } from 'express';
import { fileURLToPath } from 'node:url';

/**
 * What RHDH's dynamic-plugins-info backend answers (`GET /loaded-plugins`: every dynamic
 * plugin with its role, platform and any load failure), plus the folder each one was
 * loaded from, and `GET /modules?under=<absolute path>`: the module files of this process
 * under that path (the test asks for the workspace's plugins/ folder, which must be none).
 * Signed-in users and services only, as every route by default.
 */
export const dynamicPluginsInfoPlugin = createBackendPlugin({
  pluginId: 'dynamic-plugins-info',
  register(reg) {
    reg.registerInit({
      deps: {
        dynamicPlugins: dynamicPluginsServiceRef,
        http: coreServices.httpRouter,
      },
      async init({ dynamicPlugins, http }) {
        const router = Router();
        router.get('/loaded-plugins', (_req, res) => {
          res.json(
            dynamicPlugins.plugins({ includeFailed: true }).map(plugin => ({
              name: plugin.name,
              version: plugin.version,
              role: plugin.role,
              platform: plugin.platform,
              failure: plugin.failure,
              location: fileURLToPath(
                dynamicPlugins.getScannedPackage(plugin).location,
              ),
            })),
          );
        });
        router.get('/modules', (req, res) => {
          const under = String(req.query.under ?? '');
          res.json(
            under
              ? Object.keys(require.cache).filter(f => f.startsWith(under))
              : [],
          );
        });
        http.use(router);
      },
    });
  },
});
