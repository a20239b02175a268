/**
 * LiteMaaS frontend plugin: governed self-service access to LLMs in Backstage.
 * Legacy frontend system exports; the new frontend system is at `/alpha`.
 *
 * @packageDocumentation
 */

export {
  litemaasPlugin,
  LiteMaaSPage,
  EntityLiteMaaSModelCard,
  EntityLiteMaaSLlmAccessCard,
  EntityLiteMaaSTeamCard,
} from './plugin';
export {
  isLiteMaaSModelEntity,
  isLiteMaaSConsumerEntity,
  isLiteMaaSTeamEntity,
} from './features/entity-cards/filters';
export { rootRouteRef } from './routes';
export { litemaasApiRef, LiteMaaSApiClient } from './api';
export type {
  LiteMaaSApi,
  LiteMaaSConfig,
  KeyLimitSettings,
  KeyUsage,
  KeyWithUsage,
  ListedKey,
  CreatedKey,
  KeySnippets,
  ListResponse,
  UsageRequest,
  AuditQuery,
  AuditEntriesPage,
} from './api';
export {
  litemaasTranslationRef,
  litemaasTranslations,
  litemaasLanguages,
} from './translations';
