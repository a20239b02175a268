import type {
  ListModelsQuery,
  SubscriptionStatus,
} from '@litemaas/backstage-plugin-litemaas-common';
import type { AuditQuery, UsageRequest } from '../types';

/** The filters of an audit read (its cursor pages within them). */
export type AuditFilters = Omit<AuditQuery, 'cursor' | 'limit'>;

/**
 * Query keys of the cache, by area. Mutations invalidate whole areas (a prefix), so a
 * new screen that reads an area is refreshed by every mutation that touches it.
 */
export const queryKeys = {
  all: ['litemaas'] as const,
  config: () => ['litemaas', 'config'] as const,
  health: () => ['litemaas', 'health'] as const,
  models: () => ['litemaas', 'models'] as const,
  modelList: (query: ListModelsQuery = {}) =>
    ['litemaas', 'models', 'list', query] as const,
  model: (id: string) => ['litemaas', 'models', 'one', id] as const,
  subscriptions: () => ['litemaas', 'subscriptions'] as const,
  decisions: (status: SubscriptionStatus) =>
    ['litemaas', 'subscriptions', 'decisions', status] as const,
  keys: () => ['litemaas', 'keys'] as const,
  keyList: () => ['litemaas', 'keys', 'list'] as const,
  keyUsage: () => ['litemaas', 'keys', 'usage'] as const,
  key: (id: string) => ['litemaas', 'keys', 'one', id] as const,
  usage: (request: UsageRequest) => ['litemaas', 'usage', request] as const,
  teams: () => ['litemaas', 'teams'] as const,
  team: (ref: string) => ['litemaas', 'teams', 'one', ref] as const,
  audit: (filters: AuditFilters) => ['litemaas', 'audit', filters] as const,
};
