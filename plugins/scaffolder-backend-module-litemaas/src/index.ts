/**
 * Scaffolder module of LiteMaaS: template actions that subscribe and mint API keys.
 *
 * @packageDocumentation
 */

export { scaffolderModuleLitemaas as default } from './module';
export {
  createCreateKeyAction,
  CREATE_KEY_ACTION_ID,
  KEY_METADATA,
} from './actions/createKey';
export {
  createEnsureSubscriptionAction,
  ENSURE_SUBSCRIPTION_ACTION_ID,
} from './actions/ensureSubscription';
export type {
  EnsureSubscriptionInput,
  EnsureSubscriptionOutput,
  EnsuredSubscription,
} from './actions/ensureSubscription';
export type { LiteMaaSActionDeps } from './actions/litemaasApi';
