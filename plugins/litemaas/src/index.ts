/**
 * LiteMaaS frontend plugin: governed self-service access to LLMs in Backstage.
 * Legacy frontend system exports; the new frontend system is at `/alpha`.
 *
 * @packageDocumentation
 */

export { litemaasPlugin, LiteMaaSPage } from './plugin';
export { rootRouteRef } from './routes';
export { litemaasApiRef, LiteMaaSApiClient } from './api';
export type {
  LiteMaaSApi,
  LiteMaaSConfig,
  KeyLimitSettings,
  KeyUsage,
  KeyWithUsage,
  CreatedKey,
  KeySnippets,
  ListResponse,
} from './api';
export {
  litemaasTranslationRef,
  litemaasTranslations,
  litemaasLanguages,
} from './translations';
