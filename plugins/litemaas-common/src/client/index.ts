export type {
  LiteMaaSClientOptions,
  LiteMaaSDiscovery,
  LiteMaaSRequestOptions,
} from './fetcher';
export * from '../generated';
export * from './types';
