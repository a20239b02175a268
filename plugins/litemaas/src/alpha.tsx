import {
  ApiBlueprint,
  createFrontendModule,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import SmartToyIcon from '@material-ui/icons/Memory';
import { litemaasApiFactory } from './api';
import { rootRouteRef } from './routes';
import {
  isLiteMaaSConsumerEntity,
  isLiteMaaSModelEntity,
  isLiteMaaSTeamEntity,
} from './features/entity-cards/filters';
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

/** The model card on `Resource` entities of `spec.type: ai-model`. */
const modelEntityCard = EntityCardBlueprint.make({
  name: 'model',
  params: {
    filter: isLiteMaaSModelEntity,
    loader: () =>
      import('./features/entity-cards').then(m => <m.ModelEntityCard />),
  },
});

/** The "LLM access" card on components and systems that declare models. */
const llmAccessEntityCard = EntityCardBlueprint.make({
  name: 'llm-access',
  params: {
    filter: isLiteMaaSConsumerEntity,
    loader: () =>
      import('./features/entity-cards').then(m => <m.LlmAccessEntityCard />),
  },
});

/** The team card on groups. */
const teamEntityCard = EntityCardBlueprint.make({
  name: 'team',
  params: {
    filter: isLiteMaaSTeamEntity,
    loader: () =>
      import('./features/entity-cards').then(m => <m.TeamEntityCard />),
  },
});

/**
 * The LiteMaaS plugin for the new frontend system: its page (with a sidebar entry), its
 * API and its cards on catalog entities (models, components and systems, groups).
 *
 * @alpha
 */
const litemaasPlugin = createFrontendPlugin({
  pluginId: 'litemaas',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    litemaasApi,
    litemaasPage,
    modelEntityCard,
    llmAccessEntityCard,
    teamEntityCard,
  ],
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
