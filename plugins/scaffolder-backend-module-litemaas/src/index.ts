/**
 * Scaffolder module of LiteMaaS: template actions that subscribe and mint API keys.
 *
 * @packageDocumentation
 */

export { scaffolderModuleLitemaas as default } from './module';
