/**
 * A stateful emulator of the LiteLLM proxy: management API and OpenAI-compatible data plane.
 *
 * @packageDocumentation
 */
export { startEmulator, createEmulator, DEFAULT_MASTER_KEY } from './server';
export type { EmulatorOptions, RunningEmulator } from './server';
export { defaultModels, loadModelsFile } from './models';
export { DEFAULT_BEHAVIOUR } from './types';
export type {
  EmulatorModel,
  EmulatorBehaviour,
  FaultSpec,
  KeyRow,
  UserRow,
  TeamRow,
  TeamMember,
  MembershipRow,
  BudgetRow,
  DailyRow,
} from './types';
export { EmulatorState } from './state';
export type {
  SeedSpendOptions,
  StateSummary,
  DeletedKeyRow,
  Recording,
} from './state';
export { Emulator } from './emulator';
