export { litemaasApiRef, litemaasApiFactory } from './ref';
export { LiteMaaSApiClient } from './LiteMaaSApiClient';
export {
  LiteMaaSQueryProvider,
  createLiteMaaSQueryClient,
} from './QueryProvider';
export type * from './types';
export * from './hooks';
