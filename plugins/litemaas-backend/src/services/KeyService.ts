import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ApiKey,
  ApiKeyStatus,
  CreatedApiKey,
  CreateKeyRequest,
  litemaasKeyAdminPermission,
  litemaasKeyCreatePermission,
  litemaasKeyDeletePermission,
  litemaasKeyReadPermission,
  litemaasKeyUpdatePermission,
  RotateKeyRequest,
  UpdateKeyRequest,
} from '@litemaas/backstage-plugin-litemaas-common';
import { Request } from 'express';
import { KeyLimitSettings, LiteMaaSSettings } from '../config';
import { KeyStore, KeyUpdate, LIVE_KEY_STATUSES } from '../database/KeyStore';
import { SubscriptionStore } from '../database/SubscriptionStore';
import {
  hashLiteLLMKey,
  LiteLLMApi,
  LiteLLMBadRequestError,
  LiteLLMError,
  LiteLLMGeneratedKey,
  LiteLLMInvalidResponseError,
  LiteLLMKeyInfo,
  LiteLLMKeyUpdateRequest,
  LiteLLMNotFoundError,
  LiteLLMUnavailableError,
  maskLiteLLMKey,
  toBackstageError,
} from '../litellm';
import { AccessService, Caller } from './AccessService';
import { AuditService } from './AuditService';
import { KeyModelRevoker } from './KeyModelRevoker';
import type { TeamKeyPolicy } from './TeamService';
import { buildKeySnippets, KeySnippets } from './keySnippets';
import { UserService } from './UserService';

/** `managed_by` of every LiteLLM key this plugin mints. */
export const KEY_MANAGED_BY = 'litemaas-backstage';
/** Actor of the scheduled jobs in the audit trail. */
export const SYSTEM_ACTOR = 'plugin:litemaas';
/** A pending key older than this is a crashed or stuck creation. */
export const PENDING_TIMEOUT_MS = 5 * 60_000;
const SPEND_CACHE_TTL_MS = 30_000;

/** The answer to a key creation or rotation: the secret, once, with snippets. */
export interface CreatedKeyResponse extends CreatedApiKey {
  snippets: KeySnippets;
  /** On rotation: what happened to the key rotated out. */
  previousKey?: Pick<ApiKey, 'id' | 'status' | 'graceExpiresAt'>;
}

/** Live usage of a key, read from LiteLLM (cached ~30 s). */
export interface KeyUsage {
  /** False when LiteLLM could not be asked: the numbers are unknown. */
  available: boolean;
  spend: number | null;
  maxBudget: number | null;
  /** spend / maxBudget, when both are known. */
  budgetUsedRatio: number | null;
  budgetResetAt: string | null;
  lastActiveAt: string | null;
  blockedInLiteLLM: boolean | null;
  fetchedAt: string;
}

export interface KeyWithUsage extends ApiKey {
  usage: KeyUsage;
}

/** One hit of an admin lookup of a leaked key. */
export interface KeyLookupMatch {
  /** The LiteMaaS key, when the portal manages it. */
  key?: ApiKey;
  managed: boolean;
  ownerRef: string | null;
  createdBy: string | null;
  models: string[];
  status: ApiKeyStatus | 'unmanaged';
  litellm: {
    found: boolean;
    alias: string | null;
    userId: string | null;
    teamId: string | null;
    blocked: boolean | null;
    spend: number | null;
    lastActiveAt: string | null;
  } | null;
}

export interface KeyReconcileReport {
  pendingSettled: number;
  pendingLeft: number;
  orphansDeleted: number;
  missingMarked: number;
  expiredMarked: number;
  driftFixed: number;
  errors: number;
  /** Managed LiteLLM keys seen (before deletions). */
  litellmKeysSeen: number;
}

type Limits = {
  maxBudget: number | null;
  budgetDuration: string | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
  expiresAt: Date | null;
};

const NUMERIC_LIMITS = ['maxBudget', 'tpmLimit', 'rpmLimit'] as const;

/** Unknown outcome: LiteLLM may or may not have done it. */
function isAmbiguous(error: unknown): boolean {
  if (error instanceof LiteLLMUnavailableError) {
    // A call refused by the circuit breaker was never sent.
    return error.reason !== 'circuit-open';
  }
  if (error instanceof LiteLLMInvalidResponseError) return true;
  // Definite LiteLLM answers (4xx classes) are not ambiguous; anything else is.
  return !(error instanceof LiteLLMError);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** LiteLLM errors as the error a route answers with; unexplained failures become 503. */
function toRouteError(error: unknown, what: string): unknown {
  if (!(error instanceof LiteLLMError)) return error;
  if (
    error instanceof LiteLLMUnavailableError ||
    error instanceof LiteLLMInvalidResponseError
  ) {
    return new ServiceUnavailableError(
      `The LiteLLM proxy is unavailable, ${what}; try again later`,
    );
  }
  if (error instanceof LiteLLMBadRequestError) {
    return new InputError(`LiteLLM rejected the request: ${error.detail}`);
  }
  const mapped = toBackstageError(error);
  if (mapped instanceof Error && mapped.name === 'ForwardedError') {
    return new ServiceUnavailableError(
      `The LiteLLM proxy failed, ${what}; try again later`,
    );
  }
  return mapped;
}

function durationUntil(date: Date, now: Date): string {
  return `${Math.max(1, Math.ceil((date.getTime() - now.getTime()) / 1000))}s`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every(x => sa.has(x));
}

export interface KeyServiceOptions {
  keys: KeyStore;
  subscriptions: SubscriptionStore;
  litellm: LiteLLMApi;
  access: AccessService;
  audit: AuditService;
  users: UserService;
  settings: LiteMaaSSettings;
  logger: LoggerService;
  now?: () => Date;
  /** Team keys: a group key joins its LiteLLM team, bounded by the team's models. */
  teams?: TeamKeyPolicy;
  /** Tells a key's owner (user or group members) when an admin blocks it. */
  notifications?: NotificationService;
}

/**
 * API keys. The secret is returned once by create and rotate and never stored, logged or
 * audited. Creation writes a pending row (with its LiteLLM alias) before LiteLLM is asked,
 * compensates by alias when the outcome is unknown, and leaves the rest to
 * {@link KeyService.reconcile}, so no LiteLLM key outlives its row and no row its key.
 * Every change goes to LiteLLM first and to the database after, so a failure never
 * leaves the portal believing in a change LiteLLM did not make (revocation never fails
 * open).
 */
export class KeyService implements KeyModelRevoker {
  readonly #keys: KeyStore;
  readonly #subscriptions: SubscriptionStore;
  readonly #litellm: LiteLLMApi;
  readonly #access: AccessService;
  readonly #audit: AuditService;
  readonly #users: UserService;
  readonly #settings: LiteMaaSSettings;
  readonly #logger: LoggerService;
  readonly #now: () => Date;
  readonly #teams?: TeamKeyPolicy;
  readonly #notifications?: NotificationService;
  readonly #usageCache = new Map<string, { at: number; usage: KeyUsage }>();

  constructor(options: KeyServiceOptions) {
    this.#keys = options.keys;
    this.#subscriptions = options.subscriptions;
    this.#litellm = options.litellm;
    this.#access = options.access;
    this.#audit = options.audit;
    this.#users = options.users;
    this.#settings = options.settings;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#teams = options.teams;
    this.#notifications = options.notifications;
  }

  // ------------------------------------------------------------------ user routes

  async create(
    caller: Caller,
    input: CreateKeyRequest,
    request?: Request,
  ): Promise<CreatedKeyResponse> {
    const ownerRef = input.owner ?? caller.userRef;
    return this.#audit.track(
      {
        actorRef: caller.userRef,
        action: 'key.create',
        targetType: 'key',
        details: { ownerRef, name: input.name, models: input.models },
        request,
      },
      async () => {
        await this.#access.require(caller, litemaasKeyCreatePermission);
        this.#assertMayOwn(caller, ownerRef);
        const user = await this.#users.ensure(caller.userRef);
        await this.#assertSubscribed(ownerRef, input.models);
        const limits = this.#resolveCreateLimits(input);
        const maxKeys =
          (ownerRef === caller.userRef ? user.maxKeys : null) ??
          this.#settings.keyMaximums.keysPerOwner;
        if (maxKeys !== undefined && maxKeys !== null) {
          const count = await this.#keys.countByOwner(ownerRef);
          if (count >= maxKeys) {
            throw new ConflictError(
              `${ownerRef} already has ${count} keys, the maximum is ${maxKeys} (keysPerOwner); revoke one first`,
            );
          }
        }
        return this.#mint({
          ownerRef,
          createdBy: caller.userRef,
          name: input.name,
          models: input.models,
          limits,
          metadata: input.metadata,
        });
      },
      created => ({
        targetId: created.id,
        details: {
          displayName: created.displayName,
          maxBudget: created.maxBudget,
          budgetDuration: created.budgetDuration,
          tpmLimit: created.tpmLimit,
          rpmLimit: created.rpmLimit,
          expiresAt: created.expiresAt,
        },
      }),
    );
  }

  /** Keys owned by the caller or their groups (never a secret). */
  async list(
    caller: Caller,
    options: { statuses?: readonly ApiKeyStatus[] } = {},
  ): Promise<ApiKey[]> {
    const keys = await this.#keys.listForOwners(caller.ownershipRefs, {
      statuses: options.statuses ?? ['active', 'blocked', 'expired'],
    });
    const owners = [...new Set(keys.map(k => k.ownerRef))];
    const allowed = new Set<string>();
    await Promise.all(
      owners.map(async ownerRef => {
        if (
          await this.#access.canOnKey(caller, litemaasKeyReadPermission, {
            ownerRef,
          })
        ) {
          allowed.add(ownerRef);
        }
      }),
    );
    return keys.filter(k => allowed.has(k.ownerRef));
  }

  /** One key with its live usage; 404 for keys the caller may not see. */
  async get(caller: Caller, id: string): Promise<KeyWithUsage> {
    const key = await this.#visibleKey(caller, id, litemaasKeyReadPermission);
    return { ...key, usage: await this.#usage(key) };
  }

  async update(
    caller: Caller,
    id: string,
    patch: UpdateKeyRequest,
    request?: Request,
  ): Promise<ApiKey> {
    return this.#audit.track(
      {
        actorRef: caller.userRef,
        action: 'key.update',
        targetType: 'key',
        targetId: id,
        details: { changes: patch },
        request,
      },
      async () => {
        const key = await this.#visibleKey(
          caller,
          id,
          litemaasKeyUpdatePermission,
        );
        if (!['active', 'blocked', 'expired'].includes(key.status)) {
          throw new ConflictError(`Key '${id}' is ${key.status}`);
        }
        const isAdmin = await this.#access.isAllowed(
          caller,
          litemaasKeyAdminPermission,
        );
        if (key.blockedByAdmin && !isAdmin) {
          throw new NotAllowedError(
            'This key was blocked by an administrator; only an administrator can change it',
          );
        }
        if (patch.models) {
          await this.#assertSubscribed(key.ownerRef, patch.models);
        }
        const limits = this.#resolvePatchLimits(patch);
        const changes: LiteLLMKeyUpdateRequest = {};
        if (patch.models) changes.models = patch.models;
        if (limits.maxBudget !== undefined)
          changes.max_budget = limits.maxBudget;
        if (limits.budgetDuration !== undefined)
          changes.budget_duration = limits.budgetDuration;
        if (limits.tpmLimit !== undefined) changes.tpm_limit = limits.tpmLimit;
        if (limits.rpmLimit !== undefined) changes.rpm_limit = limits.rpmLimit;
        if (limits.expiresAt !== undefined) {
          changes.duration =
            limits.expiresAt === null
              ? null
              : durationUntil(limits.expiresAt, this.#now());
        }
        if (patch.metadata) {
          changes.metadata = this.#litellmMetadata(
            key.id,
            key.ownerRef,
            key.createdBy,
            patch.metadata,
          );
        }
        if (changes.models && changes.models.length === 0) {
          throw new InputError('A key needs at least one model');
        }
        // LiteLLM first: a failure leaves both sides as they were (503). If the database
        // write fails after LiteLLM changed, reconciliation puts LiteLLM's models back.
        if (Object.keys(changes).length > 0 && key.litellmKeyHash) {
          try {
            await this.#litellm.updateKey(key.litellmKeyHash, changes);
          } catch (error) {
            throw toRouteError(error, 'the key was not changed');
          }
          this.#usageCache.delete(key.id);
        }
        const update: KeyUpdate = {
          name: patch.name,
          models: patch.models,
          metadata: patch.metadata,
          maxBudget: limits.maxBudget,
          budgetDuration: limits.budgetDuration,
          tpmLimit: limits.tpmLimit,
          rpmLimit: limits.rpmLimit,
          expiresAt: limits.expiresAt,
        };
        let updated = await this.#keys.update(id, update);
        // A key the portal blocked because its last model went away comes back to life
        // when its owner gives it models they are subscribed to again.
        if (
          patch.models &&
          updated.status === 'blocked' &&
          !updated.blockedByAdmin &&
          updated.litellmKeyHash
        ) {
          try {
            await this.#litellm.unblockKey(updated.litellmKeyHash);
          } catch (error) {
            throw toRouteError(error, 'the key stays blocked');
          }
          updated = await this.#keys.setStatus(id, 'active');
        }
        // An expired key given a new future expiry works again.
        if (updated.status === 'expired' && limits.expiresAt) {
          updated = await this.#keys.setStatus(id, 'active');
        }
        return updated;
      },
    );
  }

  async rotate(
    caller: Caller,
    id: string,
    input: RotateKeyRequest,
    request?: Request,
  ): Promise<CreatedKeyResponse> {
    const grace = input.gracePeriodSeconds ?? 0;
    return this.#audit.track(
      {
        actorRef: caller.userRef,
        action: 'key.rotate',
        targetType: 'key',
        targetId: id,
        details: { gracePeriodSeconds: grace },
        request,
        severity: 'high',
      },
      async () => {
        const old = await this.#visibleKey(
          caller,
          id,
          litemaasKeyUpdatePermission,
        );
        if (old.status !== 'active' || !old.litellmKeyHash) {
          // A blocked key must not come back unblocked under a new secret.
          throw new ConflictError(
            `Only active keys can be rotated; key '${id}' is ${old.status}`,
          );
        }
        if (old.graceExpiresAt) {
          throw new ConflictError(`Key '${id}' was already rotated`);
        }
        if (grace > this.#settings.rotationMaxGraceSeconds) {
          throw new InputError(
            `gracePeriodSeconds must be at most ${
              this.#settings.rotationMaxGraceSeconds
            } (rotationMaxGraceSeconds)`,
          );
        }
        await this.#assertSubscribed(old.ownerRef, old.models);
        if (old.ownerRef.startsWith('user:')) {
          await this.#users.ensure(old.ownerRef);
        }
        const now = this.#now();
        const created = await this.#mint({
          ownerRef: old.ownerRef,
          createdBy: caller.userRef,
          name: old.name,
          models: old.models,
          metadata: old.metadata,
          rotatedFromKeyId: old.id,
          limits: {
            maxBudget: old.maxBudget,
            budgetDuration: old.budgetDuration,
            tpmLimit: old.tpmLimit,
            rpmLimit: old.rpmLimit,
            expiresAt: old.expiresAt ? new Date(old.expiresAt) : null,
          },
        });
        const previous = await this.#retire(old, grace, now);
        return {
          ...created,
          previousKey: {
            id: previous.id,
            status: previous.status,
            graceExpiresAt: previous.graceExpiresAt,
          },
        };
      },
      created => ({
        details: {
          newKeyId: created.id,
          newDisplayName: created.displayName,
          previousStatus: created.previousKey?.status,
          previousGraceExpiresAt: created.previousKey?.graceExpiresAt,
        },
      }),
    );
  }

  /** Revokes a key: deleted in LiteLLM first; if LiteLLM is down the key stays active. */
  async revoke(caller: Caller, id: string, request?: Request): Promise<ApiKey> {
    return this.#audit.track(
      {
        actorRef: caller.userRef,
        action: 'key.revoke',
        targetType: 'key',
        targetId: id,
        request,
        severity: 'high',
      },
      async () => {
        const key = await this.#visibleKey(
          caller,
          id,
          litemaasKeyDeletePermission,
        );
        if (key.status === 'revoked' || key.status === 'failed') {
          return key;
        }
        if (key.status === 'pending') {
          throw new ConflictError(`Key '${id}' is still being created`);
        }
        return this.#deleteAndRevoke(key, 'the key was not revoked');
      },
      key => ({ details: { ownerRef: key.ownerRef, status: key.status } }),
    );
  }

  // ------------------------------------------------------------------ admin routes

  /** The owner (a user, or every member of the owning group) learns of an admin block. */
  async #tellOwnerOfBlock(key: ApiKey, reason?: string): Promise<void> {
    if (!this.#notifications) return;
    try {
      await this.#notifications.send({
        recipients: { type: 'entity', entityRef: key.ownerRef },
        payload: {
          title: `Your API key "${key.name}" (${
            key.displayName ?? key.litellmAlias
          }) was blocked`,
          description: reason
            ? `An administrator blocked it: ${reason}. Create a new key; only an administrator can unblock this one.`
            : 'An administrator blocked it. Create a new key; only an administrator can unblock this one.',
          link: '/litemaas',
          severity: 'high',
          topic: 'litemaas-key-blocked',
          scope: `litemaas-key-blocked:${key.id}`,
        },
      });
    } catch (error) {
      this.#logger.warn('Could not tell the owner of a blocked key', {
        keyId: key.id,
        ownerRef: key.ownerRef,
        error: errorMessage(error),
      });
    }
  }

  async lookup(
    caller: Caller,
    input: { secret: string } | { displayName: string },
    request?: Request,
  ): Promise<{ matches: KeyLookupMatch[] }> {
    const by = 'secret' in input ? 'secret' : 'displayName';
    return this.#audit.track(
      {
        actorRef: caller.userRef,
        action: 'key.lookup',
        targetType: 'key',
        details: { by },
        request,
        severity: 'high',
      },
      async () => {
        await this.#access.require(caller, litemaasKeyAdminPermission);
        if ('secret' in input) {
          const hash = hashLiteLLMKey(input.secret);
          const key = await this.#keys.getByHash(hash);
          const info = await this.#tryKeyInfo(hash);
          if (!key && !info) return { matches: [] };
          return { matches: [this.#match(key, info)] };
        }
        const keys = await this.#keys.listByDisplayName(input.displayName);
        const matches = await Promise.all(
          keys.map(async key =>
            this.#match(
              key,
              key.litellmKeyHash && LIVE_KEY_STATUSES.includes(key.status)
                ? await this.#tryKeyInfo(key.litellmKeyHash)
                : undefined,
            ),
          ),
        );
        return { matches };
      },
      result => ({
        details: {
          matches: result.matches.map(m => m.key?.id ?? 'unmanaged'),
          owners: result.matches.map(m => m.ownerRef),
        },
      }),
    );
  }

  async adminBlock(
    caller: Caller,
    id: string,
    reason: string | undefined,
    request?: Request,
  ): Promise<ApiKey> {
    return this.#audit.track(
      {
        actorRef: caller.userRef,
        action: 'key.block',
        targetType: 'key',
        targetId: id,
        details: { reason },
        request,
        severity: 'high',
      },
      async () => {
        await this.#access.require(caller, litemaasKeyAdminPermission);
        const key = await this.#requireKey(id);
        if (
          !['active', 'blocked'].includes(key.status) ||
          !key.litellmKeyHash
        ) {
          throw new ConflictError(`Key '${id}' is ${key.status}`);
        }
        try {
          await this.#litellm.blockKey(key.litellmKeyHash);
        } catch (error) {
          throw toRouteError(error, 'the key was not blocked');
        }
        this.#usageCache.delete(key.id);
        const blocked = await this.#keys.setStatus(id, 'blocked', {
          blockedByAdmin: true,
        });
        this.#logger.info('An administrator blocked an API key', {
          keyId: id,
          ownerRef: key.ownerRef,
          displayName: key.displayName ?? undefined,
          actorRef: caller.userRef,
        });
        await this.#tellOwnerOfBlock(blocked, reason);
        return blocked;
      },
      key => ({
        details: { ownerRef: key.ownerRef, notifyOwner: key.ownerRef },
      }),
    );
  }

  async adminUnblock(
    caller: Caller,
    id: string,
    request?: Request,
  ): Promise<ApiKey> {
    return this.#audit.track(
      {
        actorRef: caller.userRef,
        action: 'key.unblock',
        targetType: 'key',
        targetId: id,
        request,
        severity: 'high',
      },
      async () => {
        await this.#access.require(caller, litemaasKeyAdminPermission);
        const key = await this.#requireKey(id);
        if (key.status !== 'blocked' || !key.litellmKeyHash) {
          throw new ConflictError(`Key '${id}' is ${key.status}, not blocked`);
        }
        try {
          await this.#litellm.unblockKey(key.litellmKeyHash);
        } catch (error) {
          throw toRouteError(error, 'the key was not unblocked');
        }
        this.#usageCache.delete(key.id);
        const active = await this.#keys.setStatus(id, 'active');
        this.#logger.info('An administrator unblocked an API key', {
          keyId: id,
          ownerRef: key.ownerRef,
          actorRef: caller.userRef,
        });
        return active;
      },
      key => ({
        details: { ownerRef: key.ownerRef, notifyOwner: key.ownerRef },
      }),
    );
  }

  /** Admin-only entry to the reconciliation job (also run every 10 minutes). */
  async runReconcile(caller: Caller): Promise<KeyReconcileReport> {
    await this.#access.require(caller, litemaasKeyAdminPermission);
    return this.reconcile(caller.userRef);
  }

  /** Admin-only entry to the rotation grace job (also run every minute). */
  async runGraceExpiry(caller: Caller): Promise<{ revokedKeyIds: string[] }> {
    await this.#access.require(caller, litemaasKeyAdminPermission);
    return this.expireGracePeriods(caller.userRef);
  }

  // ------------------------------------------------------------------ KeyModelRevoker

  async removeModelFromSubjectKeys(input: {
    subjectRef: string;
    modelId: string;
    actorRef: string;
    reason: string;
  }): Promise<{ updatedKeyIds: string[]; blockedKeyIds: string[] }> {
    const { subjectRef, modelId, actorRef, reason } = input;
    const keys = (await this.#keys.listByModel(modelId)).filter(
      k => k.ownerRef === subjectRef,
    );
    const updatedKeyIds: string[] = [];
    const blockedKeyIds: string[] = [];
    const failed: string[] = [];
    for (const key of keys) {
      if (key.status === 'pending' || !key.litellmKeyHash) {
        // Settles soon: activation or reconciliation. Nothing to tell LiteLLM yet.
        this.#logger.warn('Model removal skipped a pending key', {
          keyId: key.id,
          modelId,
        });
        continue;
      }
      const hash = key.litellmKeyHash;
      const remaining = key.models.filter(m => m !== modelId);
      try {
        if (remaining.length > 0) {
          await this.#audit.track(
            {
              actorRef,
              action: 'key.update',
              targetType: 'key',
              targetId: key.id,
              details: { removedModel: modelId, models: remaining, reason },
            },
            async () => {
              await this.#litellm.updateKey(hash, { models: remaining });
              await this.#keys.update(key.id, { models: remaining });
            },
          );
          updatedKeyIds.push(key.id);
        } else if (key.status === 'active') {
          // Never `models: []` (= all models): the key is blocked, its list kept.
          await this.#audit.track(
            {
              actorRef,
              action: 'key.block',
              targetType: 'key',
              targetId: key.id,
              details: { removedModel: modelId, reason, lastModel: true },
            },
            async () => {
              await this.#litellm.blockKey(hash);
              await this.#keys.setStatus(key.id, 'blocked', {
                blockedByAdmin: false,
              });
            },
          );
          blockedKeyIds.push(key.id);
        }
        this.#usageCache.delete(key.id);
      } catch (error) {
        failed.push(key.id);
        this.#logger.error('Could not remove a model from a key', {
          keyId: key.id,
          modelId,
          error: errorMessage(error),
        });
      }
    }
    if (failed.length > 0) {
      throw new ServiceUnavailableError(
        `Could not remove model '${modelId}' from ${
          failed.length
        } key(s) of ${subjectRef} (${failed.join(', ')}); try again`,
      );
    }
    return { updatedKeyIds, blockedKeyIds };
  }

  // ------------------------------------------------------------------ jobs

  /** Deletes the keys whose rotation grace period ended and marks them revoked. */
  async expireGracePeriods(
    actorRef = SYSTEM_ACTOR,
  ): Promise<{ revokedKeyIds: string[] }> {
    const due = await this.#keys.listGraceExpired(this.#now());
    const revokedKeyIds: string[] = [];
    for (const key of due) {
      try {
        await this.#audit.track(
          {
            actorRef,
            action: 'key.revoke',
            targetType: 'key',
            targetId: key.id,
            details: { reason: 'rotation grace period ended' },
          },
          () => this.#deleteAndRevoke(key, 'the key was not revoked'),
        );
        revokedKeyIds.push(key.id);
      } catch (error) {
        this.#logger.warn('Could not end the grace period of a rotated key', {
          keyId: key.id,
          error: errorMessage(error),
        });
      }
    }
    if (revokedKeyIds.length > 0) {
      this.#logger.info('Revoked rotated keys whose grace period ended', {
        count: revokedKeyIds.length,
      });
    }
    return { revokedKeyIds };
  }

  /**
   * Makes LiteLLM and the database agree:
   * 1. pending rows older than {@link PENDING_TIMEOUT_MS}: their alias is deleted in
   *    LiteLLM (not found is fine) and they are marked failed;
   * 2. LiteLLM keys minted by LiteMaaS whose row is missing, failed, revoked, or holds
   *    another key: deleted in LiteLLM;
   * 3. live rows whose key LiteLLM no longer has: marked revoked (or expired);
   *    active rows past their expiry: marked expired;
   * 4. rows whose LiteLLM key allows other models than the row says, or is not blocked
   *    while the row is: LiteLLM is put back to the row (never wider).
   */
  async reconcile(
    actorRef = SYSTEM_ACTOR,
    options: { pendingOlderThanMs?: number } = {},
  ): Promise<KeyReconcileReport> {
    return this.#audit.track(
      {
        actorRef,
        action: 'key.reconcile',
        targetType: 'key',
        severity: 'low',
      },
      async () => {
        const report = await this.#reconcile(
          options.pendingOlderThanMs ?? PENDING_TIMEOUT_MS,
        );
        this.#logger.info('Reconciled LiteMaaS keys with LiteLLM', {
          ...report,
        });
        return report;
      },
      report => ({ details: { ...report } }),
    );
  }

  async #reconcile(pendingOlderThanMs: number): Promise<KeyReconcileReport> {
    const report: KeyReconcileReport = {
      pendingSettled: 0,
      pendingLeft: 0,
      orphansDeleted: 0,
      missingMarked: 0,
      expiredMarked: 0,
      driftFixed: 0,
      errors: 0,
      litellmKeysSeen: 0,
    };
    const started = this.#now();

    // 1. Stuck creations.
    const stuck = await this.#keys.listPendingOlderThan(
      new Date(started.getTime() - pendingOlderThanMs),
    );
    for (const key of stuck) {
      if (await this.#deleteAlias(key.litellmAlias)) {
        await this.#keys.markFailed(key.id).catch(() => undefined);
        report.pendingSettled++;
      } else {
        report.pendingLeft++;
        report.errors++;
      }
    }

    // 2. LiteLLM's view of the keys LiteMaaS minted.
    const seen = new Map<string, LiteLLMKeyInfo>();
    try {
      for await (const info of this.#litellm.iterateKeys({ size: 100 })) {
        if (info.metadata?.managed_by !== KEY_MANAGED_BY) continue;
        seen.set(info.token, info);
      }
    } catch (error) {
      // Without the full list, steps 2 and 3 would guess: stop here.
      this.#logger.warn('Key reconciliation could not list LiteLLM keys', {
        error: errorMessage(error),
      });
      report.errors++;
      return report;
    }
    report.litellmKeysSeen = seen.size;
    for (const info of seen.values()) {
      const keyId = info.metadata?.litemaas_key_id;
      const row =
        typeof keyId === 'string' ? await this.#keys.get(keyId) : undefined;
      if (row?.status === 'pending') continue;
      const belongs =
        row !== undefined &&
        LIVE_KEY_STATUSES.includes(row.status) &&
        row.litellmKeyHash === info.token;
      const expiredButKept =
        row?.status === 'expired' && row.litellmKeyHash === info.token;
      if (belongs || expiredButKept) continue;
      try {
        await this.#litellm.deleteKeys([info.token]);
        report.orphansDeleted++;
        this.#logger.warn('Deleted a LiteLLM key without a live LiteMaaS key', {
          keyId: typeof keyId === 'string' ? keyId : undefined,
          rowStatus: row?.status ?? 'missing',
          alias: info.key_alias ?? undefined,
        });
      } catch (error) {
        if (!(error instanceof LiteLLMNotFoundError)) report.errors++;
      }
      seen.delete(info.token);
    }

    // 3 and 4. The database's live keys.
    const live = await this.#keys.listByStatus(['active', 'blocked']);
    const nowMs = this.#now().getTime();
    for (const key of live) {
      if (!key.litellmKeyHash) continue;
      // Settled after the listing began: the listing may not show it yet.
      if (new Date(key.updatedAt).getTime() >= started.getTime()) continue;
      const info = seen.get(key.litellmKeyHash);
      try {
        if (!info) {
          const confirmed = await this.#tryKeyInfo(key.litellmKeyHash, true);
          if (confirmed) continue;
          const expired =
            key.expiresAt !== null &&
            new Date(key.expiresAt).getTime() <= nowMs;
          await this.#keys.setStatus(key.id, expired ? 'expired' : 'revoked');
          report.missingMarked++;
          this.#logger.warn('A LiteMaaS key is missing in LiteLLM', {
            keyId: key.id,
            ownerRef: key.ownerRef,
            markedAs: expired ? 'expired' : 'revoked',
          });
          continue;
        }
        if (
          key.status === 'active' &&
          key.expiresAt !== null &&
          new Date(key.expiresAt).getTime() <= nowMs
        ) {
          await this.#keys.setStatus(key.id, 'expired');
          report.expiredMarked++;
          continue;
        }
        const litellmModels = info.models ?? [];
        if (
          key.models.length > 0 &&
          (litellmModels.length === 0 || !sameSet(litellmModels, key.models))
        ) {
          await this.#litellm.updateKey(key.litellmKeyHash, {
            models: key.models,
          });
          report.driftFixed++;
          this.#logger.warn('Put a LiteLLM key back to its LiteMaaS models', {
            keyId: key.id,
          });
        }
        if (key.status === 'blocked' && info.blocked !== true) {
          await this.#litellm.blockKey(key.litellmKeyHash);
          report.driftFixed++;
        }
      } catch (error) {
        report.errors++;
        this.#logger.warn('Key reconciliation failed for a key', {
          keyId: key.id,
          error: errorMessage(error),
        });
      }
    }
    return report;
  }

  // ------------------------------------------------------------------ internals

  #assertMayOwn(caller: Caller, ownerRef: string): void {
    if (ownerRef === caller.userRef) return;
    if (
      ownerRef.startsWith('group:') &&
      caller.ownershipRefs.includes(ownerRef)
    ) {
      return;
    }
    throw new NotAllowedError(
      `You may create keys for yourself or for a group you belong to, not for ${ownerRef}`,
    );
  }

  /**
   * Every model must have an active, unexpired subscription of the owner itself: a user
   * key needs the user's subscription, a group (team) key the group's. A member's
   * personal subscription never widens a shared key, and a group losing a model removes
   * it from exactly the group's keys.
   */
  async #assertSubscribed(ownerRef: string, models: string[]): Promise<void> {
    const now = this.#now().getTime();
    const active = new Set(
      (await this.#subscriptions.listForSubjects([ownerRef]))
        .filter(
          s =>
            s.status === 'active' &&
            (s.expiresAt === null || new Date(s.expiresAt).getTime() > now),
        )
        .map(s => s.modelId),
    );
    const missing = models.filter(m => !active.has(m));
    if (missing.length > 0) {
      throw new NotAllowedError(
        `${ownerRef} has no active subscription to: ${missing.join(', ')}`,
      );
    }
    await this.#teams?.assertModelsAllowed(ownerRef, models);
  }

  #resolveCreateLimits(input: CreateKeyRequest): Limits {
    const defaults = this.#settings.keyDefaults;
    const maximums = this.#settings.keyMaximums;
    const limits: Limits = {
      maxBudget: null,
      budgetDuration:
        input.budgetDuration ??
        defaults.budgetDuration ??
        maximums.budgetDuration ??
        null,
      tpmLimit: null,
      rpmLimit: null,
      expiresAt: null,
    };
    for (const field of NUMERIC_LIMITS) {
      const value = input[field] ?? defaults[field] ?? maximums[field] ?? null;
      this.#assertWithinMaximum(field, value);
      limits[field] = value;
    }
    const now = this.#now();
    if (input.expiresAt) {
      limits.expiresAt = this.#checkExpiry(new Date(input.expiresAt), now);
    } else {
      const days = defaults.expiresInDays ?? maximums.expiresInDays;
      limits.expiresAt =
        days !== undefined ? new Date(now.getTime() + days * 86_400_000) : null;
    }
    return limits;
  }

  #resolvePatchLimits(patch: UpdateKeyRequest): {
    [K in keyof Limits]?: Limits[K];
  } {
    const maximums: KeyLimitSettings = this.#settings.keyMaximums;
    const out: { [K in keyof Limits]?: Limits[K] } = {};
    for (const field of NUMERIC_LIMITS) {
      const value = patch[field];
      if (value === undefined) continue;
      if (value === null && maximums[field] !== undefined) {
        throw new InputError(
          `${field} cannot be removed: keys may have at most ${maximums[field]}`,
        );
      }
      this.#assertWithinMaximum(field, value);
      out[field] = value;
    }
    if (patch.budgetDuration !== undefined) {
      out.budgetDuration = patch.budgetDuration;
    }
    if (patch.expiresAt !== undefined) {
      if (patch.expiresAt === null) {
        if (maximums.expiresInDays !== undefined) {
          throw new InputError(
            `expiresAt cannot be removed: keys expire within ${maximums.expiresInDays} days`,
          );
        }
        out.expiresAt = null;
      } else {
        out.expiresAt = this.#checkExpiry(
          new Date(patch.expiresAt),
          this.#now(),
        );
      }
    }
    return out;
  }

  #assertWithinMaximum(
    field: (typeof NUMERIC_LIMITS)[number],
    value: number | null,
  ): void {
    const max = this.#settings.keyMaximums[field];
    if (max !== undefined && value !== null && value > max) {
      throw new InputError(
        `${field} ${value} is above the maximum of ${max} an administrator allows`,
      );
    }
  }

  #checkExpiry(date: Date, now: Date): Date {
    if (date.getTime() <= now.getTime() + 60_000) {
      throw new InputError('expiresAt must be at least a minute in the future');
    }
    const maxDays = this.#settings.keyMaximums.expiresInDays;
    if (
      maxDays !== undefined &&
      date.getTime() > now.getTime() + maxDays * 86_400_000
    ) {
      throw new InputError(
        `expiresAt must be within ${maxDays} days (the maximum an administrator allows)`,
      );
    }
    return date;
  }

  #litellmMetadata(
    keyId: string,
    ownerRef: string,
    createdBy: string,
    metadata: Record<string, string> | undefined,
  ): Record<string, unknown> {
    return {
      ...metadata,
      litemaas_key_id: keyId,
      litemaas_owner: ownerRef,
      litemaas_created_by: createdBy,
      managed_by: KEY_MANAGED_BY,
    };
  }

  /**
   * Pending row → LiteLLM key → active row. On a definite LiteLLM refusal the row is
   * marked failed; on an unknown outcome the alias is deleted first (compensation), and if
   * that fails too the pending row is left for reconciliation. Either way: 503 (or the
   * mapped 4xx) and no orphan once reconciliation ran.
   */
  async #mint(input: {
    ownerRef: string;
    createdBy: string;
    name: string;
    models: string[];
    limits: Limits;
    metadata?: Record<string, string>;
    rotatedFromKeyId?: string;
  }): Promise<CreatedKeyResponse> {
    const { limits } = input;
    const teamId = await this.#teams?.litellmTeamIdFor(input.ownerRef);
    const pending = await this.#keys.createPending({
      ownerRef: input.ownerRef,
      createdBy: input.createdBy,
      name: input.name,
      models: input.models,
      metadata: input.metadata,
      rotatedFromKeyId: input.rotatedFromKeyId,
      ...limits,
    });
    let generated: LiteLLMGeneratedKey;
    try {
      generated = await this.#litellm.generateKey({
        key_alias: pending.litellmAlias,
        models: pending.models,
        max_budget: limits.maxBudget,
        budget_duration: limits.budgetDuration,
        tpm_limit: limits.tpmLimit,
        rpm_limit: limits.rpmLimit,
        duration: limits.expiresAt
          ? durationUntil(limits.expiresAt, this.#now())
          : null,
        ...(input.ownerRef.startsWith('user:')
          ? { user_id: input.ownerRef }
          : {}),
        ...(teamId ? { team_id: teamId } : {}),
        metadata: this.#litellmMetadata(
          pending.id,
          input.ownerRef,
          input.createdBy,
          input.metadata,
        ),
      });
    } catch (error) {
      await this.#abandon(pending.id, pending.litellmAlias, error);
      throw toRouteError(error, 'the key was not created');
    }
    const secret = generated.key;
    try {
      const active = await this.#keys.activate(pending.id, {
        keyHash: generated.token || hashLiteLLMKey(secret),
        displayName: maskLiteLLMKey(secret),
      });
      this.#logger.info('Created an API key', {
        keyId: active.id,
        ownerRef: active.ownerRef,
        alias: active.litellmAlias,
        rotatedFromKeyId: input.rotatedFromKeyId,
      });
      return {
        ...active,
        secret,
        snippets: buildKeySnippets({
          secret,
          publicBaseUrl: this.#settings.publicBaseUrl,
          model: active.models[0],
        }),
      };
    } catch (error) {
      // The row could not be activated (database down, or reconciliation settled it):
      // the LiteLLM key must not survive without it.
      this.#logger.error(
        'Could not activate a new key; deleting it in LiteLLM',
        {
          keyId: pending.id,
          error: errorMessage(error),
        },
      );
      await this.#abandon(pending.id, pending.litellmAlias, error, true);
      throw new ServiceUnavailableError(
        'The key could not be recorded; it was not created, try again later',
      );
    }
  }

  /** Settles a pending key whose LiteLLM creation failed or must be undone. */
  async #abandon(
    id: string,
    alias: string,
    error: unknown,
    compensate = isAmbiguous(error),
  ): Promise<void> {
    if (compensate && !(await this.#deleteAlias(alias))) {
      this.#logger.warn(
        'Could not compensate a failed key creation; reconciliation will settle it',
        { keyId: id, alias },
      );
      return;
    }
    try {
      await this.#keys.markFailed(id);
    } catch (markError) {
      this.#logger.warn('Could not mark a key failed; reconciliation will', {
        keyId: id,
        error: errorMessage(markError),
      });
    }
    this.#logger.warn('Key creation failed', {
      keyId: id,
      alias,
      compensated: compensate,
      error: errorMessage(error),
    });
  }

  /** True when LiteLLM has no key with this alias any more. */
  async #deleteAlias(alias: string): Promise<boolean> {
    try {
      await this.#litellm.deleteKeysByAlias([alias]);
      return true;
    } catch (error) {
      return error instanceof LiteLLMNotFoundError;
    }
  }

  /** Ends the old key of a rotation: at once, or after the grace period. */
  async #retire(old: ApiKey, graceSeconds: number, now: Date): Promise<ApiKey> {
    const hash = old.litellmKeyHash!;
    if (graceSeconds === 0) {
      try {
        await this.#litellm.deleteKeys([hash]);
      } catch (error) {
        if (!(error instanceof LiteLLMNotFoundError)) {
          // The new key exists and its secret is being returned: the old one is left to
          // the grace job, which deletes it within a minute.
          this.#logger.warn(
            'Could not delete a rotated key at once; the grace job will',
            { keyId: old.id, error: errorMessage(error) },
          );
          return this.#keys.setGraceExpiry(old.id, now);
        }
      }
      this.#usageCache.delete(old.id);
      return this.#keys.setStatus(old.id, 'revoked');
    }
    const until = new Date(now.getTime() + graceSeconds * 1000);
    const retired = await this.#keys.setGraceExpiry(old.id, until);
    // Belt and braces: LiteLLM itself stops the old key at the end of the grace period
    // even if the grace job does not run.
    if (!old.expiresAt || new Date(old.expiresAt) > until) {
      try {
        await this.#litellm.updateKey(hash, {
          duration: durationUntil(until, now),
        });
      } catch (error) {
        this.#logger.warn('Could not set the expiry of a rotated key', {
          keyId: old.id,
          error: errorMessage(error),
        });
      }
    }
    return retired;
  }

  async #deleteAndRevoke(key: ApiKey, what: string): Promise<ApiKey> {
    if (key.litellmKeyHash) {
      try {
        await this.#litellm.deleteKeys([key.litellmKeyHash]);
      } catch (error) {
        if (!(error instanceof LiteLLMNotFoundError)) {
          throw toRouteError(error, what);
        }
      }
    }
    this.#usageCache.delete(key.id);
    const revoked = await this.#keys.setStatus(key.id, 'revoked');
    this.#logger.info('Revoked an API key', {
      keyId: key.id,
      ownerRef: key.ownerRef,
    });
    return revoked;
  }

  async #requireKey(id: string): Promise<ApiKey> {
    const key = await this.#keys.get(id);
    if (!key) throw new NotFoundError(`Key '${id}' not found`);
    return key;
  }

  /**
   * The key if the caller may use the permission on it. A key the caller may not even
   * read is "not found" (its existence is not revealed); one they may read but not
   * change is "not allowed".
   */
  async #visibleKey(
    caller: Caller,
    id: string,
    permission:
      | typeof litemaasKeyReadPermission
      | typeof litemaasKeyUpdatePermission
      | typeof litemaasKeyDeletePermission,
  ): Promise<ApiKey> {
    const key = await this.#keys.get(id);
    const notFound = new NotFoundError(`Key '${id}' not found`);
    if (!key || key.status === 'failed') throw notFound;
    const resource = { ownerRef: key.ownerRef };
    if (
      !(await this.#access.canOnKey(
        caller,
        litemaasKeyReadPermission,
        resource,
      ))
    ) {
      throw notFound;
    }
    if (
      permission !== litemaasKeyReadPermission &&
      !(await this.#access.canOnKey(caller, permission, resource))
    ) {
      throw new NotAllowedError(
        `You are not allowed to do this (${permission.name})`,
      );
    }
    return key;
  }

  /** LiteLLM's row of a key, or undefined when unknown or unreachable. */
  async #tryKeyInfo(
    hash: string,
    throwUnlessNotFound = false,
  ): Promise<LiteLLMKeyInfo | undefined> {
    try {
      return await this.#litellm.getKeyInfo(hash);
    } catch (error) {
      if (error instanceof LiteLLMNotFoundError) return undefined;
      if (throwUnlessNotFound) throw error;
      return undefined;
    }
  }

  async #usage(key: ApiKey): Promise<KeyUsage> {
    const cached = this.#usageCache.get(key.id);
    const nowMs = Date.now();
    if (cached && nowMs - cached.at < SPEND_CACHE_TTL_MS) return cached.usage;
    const unknown: KeyUsage = {
      available: false,
      spend: null,
      maxBudget: key.maxBudget,
      budgetUsedRatio: null,
      budgetResetAt: null,
      lastActiveAt: null,
      blockedInLiteLLM: null,
      fetchedAt: new Date(nowMs).toISOString(),
    };
    if (!key.litellmKeyHash || !LIVE_KEY_STATUSES.includes(key.status)) {
      return unknown;
    }
    let info: LiteLLMKeyInfo;
    try {
      info = await this.#litellm.getKeyInfo(key.litellmKeyHash);
    } catch (error) {
      this.#logger.debug('Key usage unavailable from LiteLLM', {
        keyId: key.id,
        error: errorMessage(error),
      });
      return unknown; // not cached: the next request asks again
    }
    const spend = typeof info.spend === 'number' ? info.spend : 0;
    const maxBudget =
      typeof info.max_budget === 'number' ? info.max_budget : key.maxBudget;
    const usage: KeyUsage = {
      available: true,
      spend,
      maxBudget,
      budgetUsedRatio: maxBudget ? spend / maxBudget : null,
      budgetResetAt: info.budget_reset_at ?? null,
      lastActiveAt:
        typeof info.last_active === 'string' ? info.last_active : null,
      blockedInLiteLLM: info.blocked === true,
      fetchedAt: new Date(nowMs).toISOString(),
    };
    this.#usageCache.set(key.id, { at: nowMs, usage });
    return usage;
  }

  #match(
    key: ApiKey | undefined,
    info: LiteLLMKeyInfo | undefined,
  ): KeyLookupMatch {
    return {
      key,
      managed: key !== undefined,
      ownerRef:
        key?.ownerRef ??
        (typeof info?.metadata?.litemaas_owner === 'string'
          ? info.metadata.litemaas_owner
          : info?.user_id ?? info?.team_id ?? null),
      createdBy: key?.createdBy ?? null,
      models: key?.models ?? info?.models ?? [],
      status: key?.status ?? 'unmanaged',
      litellm: info
        ? {
            found: true,
            alias: info.key_alias ?? null,
            userId: info.user_id ?? null,
            teamId: info.team_id ?? null,
            blocked: info.blocked ?? null,
            spend: typeof info.spend === 'number' ? info.spend : null,
            lastActiveAt:
              typeof info.last_active === 'string' ? info.last_active : null,
          }
        : null,
    };
  }
}
