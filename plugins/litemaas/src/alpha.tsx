import {
  ApiBlueprint,
  createFrontendModule,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import SmartToyIcon from '@material-ui/icons/Memory';
import { litemaasApiFactory } from './api';
import { rootRouteRef } from './routes';
import { litemaasTranslationRef, litemaasTranslations } from './translations';

const litemaasApi = ApiBlueprint.make({
  params: defineParams => defineParams(litemaasApiFactory),
});

const litemaasPage = PageBlueprint.make({
  params: {
    path: '/litemaas',
    routeRef: convertLegacyRouteRef(rootRouteRef),
    title: litemaasTranslationRef('nav.title'),
    icon: <SmartToyIcon />,
    loader: () => import('./LiteMaaSPage').then(m => <m.LiteMaaSPage />),
  },
});

/**
 * The LiteMaaS plugin for the new frontend system: its page (with a sidebar entry) and
 * its API.
 *
 * @alpha
 */
const litemaasPlugin = createFrontendPlugin({
  pluginId: 'litemaas',
  info: { packageJson: () => import('../package.json') },
  extensions: [litemaasApi, litemaasPage],
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
});

export default litemaasPlugin;

/**
 * Registers the plugin's Spanish and French translations with the app. Translations can
 * only be added by an `app` module, so apps add this next to the plugin.
 *
 * @alpha
 */
export const litemaasTranslationsModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    TranslationBlueprint.make({
      name: 'litemaas',
      params: { resource: litemaasTranslations },
    }),
  ],
});

export {
  litemaasTranslationRef,
  litemaasTranslations,
  litemaasLanguages,
} from './translations';
