import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
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
import { KeyStore, PendingKeyLimit } from '../database/KeyStore';
import { LiteLLMKeyUpdateRequest, toBackstageError } from '../litellm';
import { AccessService, Caller } from '../services/AccessService';
import { AuditService } from '../services/AuditService';
import { UserService } from '../services/UserService';
import { durationUntil, KeyLimitPolicy } from './KeyLimitPolicy';
import { KeyModelAccess } from './KeyModelAccess';
import { KeyOwnerResolver } from './KeyOwnerResolver';
import { KeyProvisioner } from './KeyProvisioner';
import { buildKeySnippets } from './keySnippets';
import { KeyUsageReader } from './KeyUsageReader';
import {
  CreatedKeyResponse,
  errorMessage,
  KeyWithUsage,
  keySubject,
} from './types';

/**
 * The user-facing lifecycle of API keys: create, list, read, update, rotate, revoke. The
 * secret is returned once by create and rotate and never stored, logged or audited. Who
 * may own and see a key, and which models it may have, is decided here; the LiteLLM side
 * is the {@link KeyProvisioner}'s and the limits are the {@link KeyLimitPolicy}'s.
 */
export class KeyService {
  readonly #keys: KeyStore;
  readonly #modelAccess: KeyModelAccess;
  readonly #access: AccessService;
  readonly #audit: AuditService;
  readonly #users: UserService;
  readonly #limits: KeyLimitPolicy;
  readonly #provisioner: KeyProvisioner;
  readonly #owners: KeyOwnerResolver;
  readonly #usage: KeyUsageReader;
  readonly #rotationMaxGraceSeconds: number;
  readonly #publicBaseUrl: string;
  readonly #logger: LoggerService;
  readonly #now: () => Date;

  constructor(options: {
    keys: KeyStore;
    modelAccess: KeyModelAccess;
    access: AccessService;
    audit: AuditService;
    users: UserService;
    limits: KeyLimitPolicy;
    provisioner: KeyProvisioner;
    owners: KeyOwnerResolver;
    usage: KeyUsageReader;
    rotationMaxGraceSeconds: number;
    /** The URL key holders call, for the snippets of a new secret. */
    publicBaseUrl: string;
    logger: LoggerService;
    now: () => Date;
  }) {
    this.#keys = options.keys;
    this.#modelAccess = options.modelAccess;
    this.#access = options.access;
    this.#audit = options.audit;
    this.#users = options.users;
    this.#limits = options.limits;
    this.#provisioner = options.provisioner;
    this.#owners = options.owners;
    this.#usage = options.usage;
    this.#rotationMaxGraceSeconds = options.rotationMaxGraceSeconds;
    this.#publicBaseUrl = options.publicBaseUrl;
    this.#logger = options.logger;
    this.#now = options.now;
  }

  async create(
    caller: Caller,
    input: CreateKeyRequest,
  ): Promise<CreatedKeyResponse> {
    const requestedOwner = input.owner ?? caller.userRef;
    return this.#audit.trackCaller(
      caller,
      {
        action: 'key.create',
        targetType: 'key',
        details: {
          ownerRef: requestedOwner,
          name: input.name,
          models: input.models,
        },
      },
      async () => {
        await this.#access.require(caller, litemaasKeyCreatePermission);
        // Who owns the key and whose team it joins; a component's or system's owner
        // group comes from the catalog.
        const owner = await this.#owners.resolve(caller, requestedOwner);
        const { ownerRef, teamRef } = owner;
        const user = await this.#ensureUser(
          caller.userRef,
          'the key was not created',
        );
        const forTeam = ownerRef !== caller.userRef;
        // A group owns keys only as a team (409 otherwise), asked before anything else.
        if (forTeam) await this.#provisioner.teamIdFor(ownerRef, teamRef);
        await this.#modelAccess.assertAllowed(keySubject(owner), input.models);
        // Whoever mints for a team stays bound by their own maximums.
        const limits = this.#limits.forCreate(
          input,
          forTeam ? user : undefined,
        );
        const minted = await this.#provisioner.mint({
          ownerRef,
          teamRef,
          createdBy: caller.userRef,
          name: input.name,
          models: input.models,
          limits,
          metadata: input.metadata,
          litellmUserId: forTeam ? null : user.litellmUserId,
          // Counted as the pending row is written: concurrent creations queue.
          limit: this.#keyLimit(
            ownerRef,
            forTeam ? null : user.maxKeys,
            undefined,
            forTeam
              ? { ref: caller.userRef, maxKeys: user.maxKeys }
              : undefined,
          ),
        });
        return this.#handOut(await this.#recheckAccess(minted));
      },
      created => ({
        targetId: created.id,
        details: {
          ownerRef: created.ownerRef,
          teamRef: created.teamRef,
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
    return this.#visibleKeys(caller, options.statuses);
  }

  /**
   * The same keys, each with its live usage from LiteLLM, read in batches (see
   * {@link KeyUsageReader.readMany}) rather than one call per key.
   */
  async listWithUsage(
    caller: Caller,
    options: { statuses?: readonly ApiKeyStatus[] } = {},
  ): Promise<KeyWithUsage[]> {
    const visible = await this.#visibleKeys(caller, options.statuses);
    const usage = await this.#usage.readMany(visible);
    return visible.map(key => ({ ...key, usage: usage.get(key.id)! }));
  }

  async #visibleKeys(
    caller: Caller,
    statuses?: readonly ApiKeyStatus[],
  ): Promise<ApiKey[]> {
    const keys = await this.#keys.listForOwners(caller.ownershipRefs, {
      statuses: statuses ?? ['active', 'blocked', 'expired'],
    });
    if (keys.length === 0) return keys;
    // One policy decision for the request, applied to every key's owner.
    const mayRead = await this.#access.keyFilter(
      caller,
      litemaasKeyReadPermission,
    );
    return keys.filter(k =>
      mayRead({ ownerRef: k.ownerRef, teamRef: k.teamRef }),
    );
  }

  /** One key with its live usage; 404 for keys the caller may not see. */
  async get(caller: Caller, id: string): Promise<KeyWithUsage> {
    const key = await this.#visibleKey(caller, id, litemaasKeyReadPermission);
    return { ...key, usage: await this.#usage.read(key) };
  }

  async update(
    caller: Caller,
    id: string,
    patch: UpdateKeyRequest,
  ): Promise<ApiKey> {
    return this.#audit.trackCaller(
      caller,
      {
        action: 'key.update',
        targetType: 'key',
        targetId: id,
        details: { changes: patch },
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
        // Whatever the patch changes, the key keeps only models its owner may use now:
        // a withdrawn model never comes back with a new expiry or a new name.
        await this.#modelAccess.assertAllowed(
          keySubject(key),
          patch.models ?? key.models,
        );
        // Limits of a team key stay within the limits of whoever changes them.
        const limits = this.#limits.forPatch(
          patch,
          key,
          key.ownerRef === caller.userRef || isAdmin
            ? undefined
            : await this.#ensureUser(caller.userRef, 'the key was not changed'),
        );
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
          changes.metadata = this.#provisioner.litellmMetadata(
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
          await this.#provisioner.update(
            key,
            changes,
            'the key was not changed',
          );
        }
        let updated = await this.#keys.update(id, {
          name: patch.name,
          models: patch.models,
          metadata: patch.metadata,
          maxBudget: limits.maxBudget,
          budgetDuration: limits.budgetDuration,
          tpmLimit: limits.tpmLimit,
          rpmLimit: limits.rpmLimit,
          expiresAt: limits.expiresAt,
        });
        // A key the portal blocked because its last model went away comes back to life
        // when its owner gives it models they are subscribed to again.
        if (
          patch.models &&
          updated.status === 'blocked' &&
          !updated.blockedByAdmin &&
          updated.litellmKeyHash
        ) {
          await this.#provisioner.unblock(updated, 'the key stays blocked');
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
  ): Promise<CreatedKeyResponse> {
    const grace = input.gracePeriodSeconds ?? 0;
    return this.#audit.trackCaller(
      caller,
      {
        action: 'key.rotate',
        targetType: 'key',
        targetId: id,
        details: { gracePeriodSeconds: grace },
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
        if (grace > this.#rotationMaxGraceSeconds) {
          throw new InputError(
            `gracePeriodSeconds must be at most ${
              this.#rotationMaxGraceSeconds
            } (rotationMaxGraceSeconds)`,
          );
        }
        await this.#modelAccess.assertAllowed(keySubject(old), old.models);
        const owner = old.ownerRef.startsWith('user:')
          ? await this.#ensureUser(old.ownerRef, 'the key was not rotated')
          : undefined;
        const now = this.#now();
        // One conditional update decides which rotation of the key happens: a key has at
        // most one successor, and a rotated key is never rotated again.
        if (!(await this.#keys.claimRotation(old.id, now))) {
          throw new ConflictError(
            `Key '${id}' was already rotated or is being rotated`,
          );
        }
        let created: CreatedKeyResponse;
        try {
          const minted = await this.#provisioner.mint({
            ownerRef: old.ownerRef,
            teamRef: old.teamRef,
            createdBy: caller.userRef,
            name: old.name,
            models: old.models,
            metadata: old.metadata,
            rotatedFromKeyId: old.id,
            action: 'the key was not rotated',
            litellmUserId: owner?.litellmUserId,
            // A new secret is not a new budget period.
            spend: await this.#provisioner.currentSpend(old),
            limit: this.#keyLimit(
              old.ownerRef,
              owner?.maxKeys,
              // Without grace the old key goes at once: the successor takes its place.
              grace === 0 ? old.id : undefined,
            ),
            limits: {
              maxBudget: old.maxBudget,
              budgetDuration: old.budgetDuration,
              tpmLimit: old.tpmLimit,
              rpmLimit: old.rpmLimit,
              expiresAt: old.expiresAt ? new Date(old.expiresAt) : null,
            },
          });
          created = this.#handOut(await this.#recheckAccess(minted));
        } catch (error) {
          // The key can be rotated again; if the database cannot say so now, the
          // reconciliation job does. Either way the caller learns why it failed.
          await this.#keys
            .releaseRotation(old.id)
            .catch(releaseError =>
              this.#logger.warn(
                'Could not release the claim of a failed rotation; reconciliation will',
                { keyId: old.id, error: errorMessage(releaseError) },
              ),
            );
          throw error;
        }
        const previous = await this.#provisioner.retire(old, grace, now);
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
  async revoke(caller: Caller, id: string): Promise<ApiKey> {
    return this.#audit.trackCaller(
      caller,
      {
        action: 'key.revoke',
        targetType: 'key',
        targetId: id,
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
        return this.#provisioner.deleteAndRevoke(
          key,
          'the key was not revoked',
        );
      },
      key => ({ details: { ownerRef: key.ownerRef, status: key.status } }),
    );
  }

  /**
   * The user's LiteMaaS row, after making sure LiteLLM knows them (their first key asks
   * LiteLLM); LiteLLM failing is a route error naming what did not happen.
   */
  async #ensureUser(userRef: string, action: string) {
    try {
      return await this.#users.ensure(userRef);
    } catch (error) {
      throw toBackstageError(error, action);
    }
  }

  /** The owner's key limit, checked as a new key's pending row is written. */
  #keyLimit(
    ownerRef: string,
    userMaxKeys: number | null | undefined,
    excludeKeyId?: string,
    creator?: { ref: string; maxKeys: number | null },
  ): PendingKeyLimit | undefined {
    const max = this.#limits.maxKeys(userMaxKeys);
    const creatorMax = creator && this.#limits.maxKeys(creator.maxKeys);
    if (max === undefined && creatorMax === undefined) return undefined;
    return {
      check: held => {
        if (max !== undefined) {
          this.#limits.assertMayHoldAnother(ownerRef, held, max);
        }
      },
      excludeKeyId,
      creator:
        creator && creatorMax !== undefined
          ? {
              ref: creator.ref,
              check: held =>
                this.#limits.assertMayHoldAnother(
                  creator.ref,
                  held,
                  creatorMax,
                ),
            }
          : undefined,
    };
  }

  /**
   * A grant withdrawn while LiteLLM was making the key (cancel, deny, expiry: their
   * status changes before they touch keys) is taken out of it before its secret leaves:
   * the key is narrowed, or revoked when nothing is left (403). If LiteLLM cannot be
   * told, the key is revoked rather than handed out (503).
   */
  async #recheckAccess(minted: CreatedApiKey): Promise<CreatedApiKey> {
    let allowed: string[];
    try {
      allowed = await this.#modelAccess.allowed(
        keySubject(minted),
        minted.models,
      );
      if (allowed.length > 0) {
        await this.#provisioner.restrictTo(minted, allowed);
        return { ...minted, models: allowed };
      }
    } catch (error) {
      await this.#discard(minted);
      throw toBackstageError(error, 'the key was not created');
    }
    await this.#discard(minted);
    throw new NotAllowedError(
      `${minted.ownerRef} lost access to ${minted.models.join(
        ', ',
      )} while the key was being created; no key was created`,
    );
  }

  /** Revokes a new key that must not be handed out; reconciliation covers a failure. */
  async #discard(key: ApiKey): Promise<void> {
    try {
      await this.#provisioner.deleteAndRevoke(key, 'the key was not revoked');
    } catch (error) {
      this.#logger.warn('Could not revoke a key withheld at creation', {
        keyId: key.id,
        error: errorMessage(error),
      });
    }
  }

  /** The secret with the snippets that use it, once. */
  #handOut(key: CreatedApiKey): CreatedKeyResponse {
    return {
      ...key,
      snippets: buildKeySnippets({
        secret: key.secret,
        publicBaseUrl: this.#publicBaseUrl,
        model: key.models[0],
      }),
    };
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
    const resource = { ownerRef: key.ownerRef, teamRef: key.teamRef };
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
}
