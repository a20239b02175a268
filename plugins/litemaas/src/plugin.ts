import {
  createComponentExtension,
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

/**
 * The card of a model `Resource` (`spec.type: ai-model`) for the legacy entity page;
 * show it where {@link isLiteMaaSModelEntity} holds.
 *
 * @public
 */
export const EntityLiteMaaSModelCard: () => JSX.Element =
  litemaasPlugin.provide(
    createComponentExtension({
      name: 'EntityLiteMaaSModelCard',
      component: {
        lazy: () =>
          import('./features/entity-cards').then(m => m.ModelEntityCard),
      },
    }),
  );

/**
 * The "LLM access" card of a `Component` or `System` for the legacy entity page; show it
 * where {@link isLiteMaaSConsumerEntity} holds.
 *
 * @public
 */
export const EntityLiteMaaSLlmAccessCard: () => JSX.Element =
  litemaasPlugin.provide(
    createComponentExtension({
      name: 'EntityLiteMaaSLlmAccessCard',
      component: {
        lazy: () =>
          import('./features/entity-cards').then(m => m.LlmAccessEntityCard),
      },
    }),
  );

/**
 * The team card of a `Group` for the legacy entity page; show it where
 * {@link isLiteMaaSTeamEntity} holds.
 *
 * @public
 */
export const EntityLiteMaaSTeamCard: () => JSX.Element = litemaasPlugin.provide(
  createComponentExtension({
    name: 'EntityLiteMaaSTeamCard',
    component: {
      lazy: () => import('./features/entity-cards').then(m => m.TeamEntityCard),
    },
  }),
);
