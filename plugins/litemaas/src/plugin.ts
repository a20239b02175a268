import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { litemaasApiFactory } from './api';
import { rootRouteRef } from './routes';

/**
 * The LiteMaaS frontend plugin for the legacy frontend system (and RHDH dynamic plugins).
 * The new frontend system uses the default export of `/alpha`.
 *
 * @public
 */
export const litemaasPlugin = createPlugin({
  id: 'litemaas',
  apis: [litemaasApiFactory],
  routes: { root: rootRouteRef },
});

/**
 * The LiteMaaS page (one tab per feature), to mount on a route of the app.
 *
 * @public
 */
export const LiteMaaSPage: () => JSX.Element = litemaasPlugin.provide(
  createRoutableExtension({
    name: 'LiteMaaSPage',
    component: () => import('./LiteMaaSPage').then(m => m.LiteMaaSPage),
    mountPoint: rootRouteRef,
  }),
);
