/**
 * Test utilities of the LiteMaaS backend, shared by the tests of this plugin and of the
 * catalog and scaffolder modules: the backend in a real test backend (real database on
 * SQLite and PostgreSQL, LiteLLM emulator, real permission backend with the portal's
 * policy), the test organization, and model fixtures built by the backend's own mapping.
 *
 * @packageDocumentation
 */

export { createTestDatabases } from './databases';
export {
  capturingNotificationService,
  startLiteMaaSTestBackend,
} from './testBackend';
export type {
  LiteMaaSTestBackend,
  LiteMaaSTestBackendOptions,
} from './testBackend';
export {
  ADMIN_GROUP,
  ALICE,
  BOB,
  CAROL,
  MALLORY,
  OUTSIDERS,
  PAYMENTS,
  TEST_USERS,
} from './users';
export { testCatalog, testOrganizationGroups } from './catalog';
export { capturingLogger, capturingRootLogger } from './logging';
export { chatStatus, managedLiteLLMKeys, SECRET_PATTERN } from './litellm';
export type { EmulatorHolder } from './litellm';
export {
  aModel,
  emulatorDefaultModels,
  modelFromLiteLLMEntry,
  modelsResponse,
} from './models';
export type { LiteLLMModelInfo } from '../litellm/types';
