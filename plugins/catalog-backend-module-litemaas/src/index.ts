/**
 * Catalog module of LiteMaaS: LiteLLM models as catalog entities, and relations from the
 * components that use them.
 *
 * @packageDocumentation
 */

export { catalogModuleLitemaas as default } from './module';
export { modelEntityName, stableHash, toTag } from './entities/entityName';
export {
  MODEL_SERVER_COMPONENT_TYPE,
  modelEntityRef,
} from './entities/modelEntity';
