import {
  AuthService,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { LiteMaaSSettings } from '../config';
import { KeyStore } from '../database/KeyStore';
import { SubscriptionStore } from '../database/SubscriptionStore';
import { LiteLLMApi } from '../litellm';
import { AccessService } from '../services/AccessService';
import { AuditService } from '../services/AuditService';
import type { TeamKeyPolicy } from '../teams';
import { UserService } from '../services/UserService';
import { KeyAdminService } from './KeyAdminService';
import { KeyLimitPolicy } from './KeyLimitPolicy';
import { KeyModelAccess } from './KeyModelAccess';
import { KeyOwnerResolver } from './KeyOwnerResolver';
import { KeyProvisioner } from './KeyProvisioner';
import { KeyReconciler } from './KeyReconciler';
import { KeyService } from './KeyService';
import { KeyUsageReader } from './KeyUsageReader';

export { KeyAdminService } from './KeyAdminService';
export { KeyLimitPolicy } from './KeyLimitPolicy';
export { KeyReconciler } from './KeyReconciler';
export { KeyService } from './KeyService';
export type { KeyAccessChanges, KeyModelRevoker } from './KeyModelRevoker';
export * from './types';

export interface KeyServicesOptions {
  keys: KeyStore;
  subscriptions: SubscriptionStore;
  litellm: LiteLLMApi;
  /** Shared by replicas: the keys' live spend read from LiteLLM. */
  cache: CacheService;
  access: AccessService;
  audit: AuditService;
  users: UserService;
  settings: LiteMaaSSettings;
  logger: LoggerService;
  now?: () => Date;
  /** Team keys: a group key joins its LiteLLM team, bounded by the team's models. */
  teams?: TeamKeyPolicy;
  /**
   * Who owns the components and systems that own keys (without it, only users and groups
   * own keys: a component's key is a 503).
   */
  catalog?: CatalogService;
  auth?: AuthService;
  /** Tells a key's owner (user or group members) when an admin blocks it. */
  notifications?: NotificationService;
}

/** The API key feature's services, sharing one provisioner and one usage cache. */
export interface KeyServices {
  /** The user-facing lifecycle: create, list, get, update, rotate, revoke. */
  keys: KeyService;
  /** Admin lookup, block and unblock, and the job entries. */
  admin: KeyAdminService;
  /** Reconciliation, grace expiry, and model removal (the subscriptions' revoker). */
  reconciler: KeyReconciler;
}

export function createKeyServices(options: KeyServicesOptions): KeyServices {
  const now = options.now ?? (() => new Date());
  const usage = new KeyUsageReader(
    options.litellm,
    options.cache,
    options.logger,
  );
  const modelAccess = new KeyModelAccess(
    options.subscriptions,
    options.teams,
    now,
  );
  const provisioner = new KeyProvisioner({
    keys: options.keys,
    litellm: options.litellm,
    teams: options.teams,
    usage,
    logger: options.logger,
    now,
  });
  const reconciler = new KeyReconciler({
    keys: options.keys,
    litellm: options.litellm,
    provisioner,
    access: modelAccess,
    audit: options.audit,
    logger: options.logger,
    now,
  });
  return {
    keys: new KeyService({
      keys: options.keys,
      modelAccess,
      access: options.access,
      audit: options.audit,
      users: options.users,
      limits: new KeyLimitPolicy(options.settings, now),
      provisioner,
      owners: new KeyOwnerResolver(options.catalog, options.auth),
      usage,
      rotationMaxGraceSeconds: options.settings.rotationMaxGraceSeconds,
      publicBaseUrl: options.settings.publicBaseUrl,
      logger: options.logger,
      now,
    }),
    admin: new KeyAdminService({
      keys: options.keys,
      provisioner,
      reconciler,
      modelAccess,
      access: options.access,
      audit: options.audit,
      logger: options.logger,
      notifications: options.notifications,
    }),
    reconciler,
  };
}
