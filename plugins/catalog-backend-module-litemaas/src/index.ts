/**
 * Catalog module of LiteMaaS: LiteLLM models as catalog entities.
 *
 * @packageDocumentation
 */

export { catalogModuleLitemaas as default } from './module';
