/**
 * The LiteMaaS backend plugin: models, subscriptions, API keys and usage on top of a
 * LiteLLM proxy.
 *
 * @packageDocumentation
 */

export { litemaasPlugin as default } from './plugin';
export {
  litemaasKeyConditions,
  createLitemaasKeyConditionalDecision,
  litemaasKeyResourceRef,
} from './permissions/rules';
export type {
  KeyPermissionQuery,
  KeyPermissionResource,
} from './permissions/rules';
export { LiteMaaSSamplePolicy } from './permissions/LiteMaaSSamplePolicy';
export { permissionModuleLiteMaaSPolicy } from './permissions/policyModule';
