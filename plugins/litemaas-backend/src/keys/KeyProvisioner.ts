import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  ApiKey,
  CreatedApiKey,
} from '@litemaas/backstage-plugin-litemaas-common';
import { KeyStore, PendingKeyLimit } from '../database/KeyStore';
import {
  hashLiteLLMKey,
  LiteLLMApi,
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
import type { TeamKeyPolicy } from '../teams';
import { durationUntil, KeyLimits } from './KeyLimitPolicy';
import { KeyUsageReader } from './KeyUsageReader';
import { errorMessage, KEY_MANAGED_BY } from './types';

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

export interface MintKeyInput {
  ownerRef: string;
  /** The group whose team the key joins (a group key: the group); none for a user's. */
  teamRef?: string | null;
  createdBy: string;
  name: string;
  models: string[];
  limits: KeyLimits;
  metadata?: Record<string, string>;
  rotatedFromKeyId?: string;
  /** The LiteLLM user of a user-owned key (the id it was created with in LiteLLM). */
  litellmUserId?: string | null;
  /** Spend the key starts with (a rotation's successor carries its predecessor's). */
  spend?: number;
  /** The owner's key limit, checked as the pending row is written. */
  limit?: PendingKeyLimit;
  /** What did not happen when minting fails (default: the key was not created). */
  action?: string;
}

/**
 * The LiteLLM side of a key and its clean-up: minting without orphans, changing, blocking
 * and deleting a key in LiteLLM, each followed by the matching database write. LiteLLM is
 * always asked first, so a failure never leaves the portal believing in a change LiteLLM
 * did not make (revocation never fails open). LiteLLM errors leave as the route errors of
 * {@link toBackstageError}.
 */
export class KeyProvisioner {
  readonly #keys: KeyStore;
  readonly #litellm: LiteLLMApi;
  readonly #teams?: TeamKeyPolicy;
  readonly #usage: KeyUsageReader;
  readonly #logger: LoggerService;
  readonly #now: () => Date;

  constructor(options: {
    keys: KeyStore;
    litellm: LiteLLMApi;
    teams?: TeamKeyPolicy;
    usage: KeyUsageReader;
    logger: LoggerService;
    now: () => Date;
  }) {
    this.#keys = options.keys;
    this.#litellm = options.litellm;
    this.#teams = options.teams;
    this.#usage = options.usage;
    this.#logger = options.logger;
    this.#now = options.now;
  }

  /** The metadata every LiteLLM key of LiteMaaS carries: who owns it and which row. */
  litellmMetadata(
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
  async mint(input: MintKeyInput): Promise<CreatedApiKey> {
    const { limits } = input;
    const action = input.action ?? 'the key was not created';
    const teamId = await this.teamIdFor(input.ownerRef, input.teamRef);
    const pending = await this.#keys.createPending(
      {
        ownerRef: input.ownerRef,
        teamRef: input.teamRef ?? null,
        createdBy: input.createdBy,
        name: input.name,
        models: input.models,
        metadata: input.metadata,
        rotatedFromKeyId: input.rotatedFromKeyId,
        ...limits,
      },
      input.limit,
    );
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
          ? { user_id: input.litellmUserId ?? input.ownerRef }
          : {}),
        ...(teamId ? { team_id: teamId } : {}),
        ...(input.spend ? { spend: input.spend } : {}),
        metadata: this.litellmMetadata(
          pending.id,
          input.ownerRef,
          input.createdBy,
          input.metadata,
        ),
      });
    } catch (error) {
      await this.#abandon(pending.id, pending.litellmAlias, error);
      throw toBackstageError(error, action);
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
      return { ...active, secret };
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
        `The key could not be recorded; ${action}, try again later`,
      );
    }
  }

  /**
   * The LiteLLM team a key of this owner joins: its team group's. Only a user owns keys
   * outside a team: a group (or the group owning a component or system) must be enabled
   * as a LiteMaaS team first, so its keys carry the team's budget.
   */
  async teamIdFor(
    ownerRef: string,
    teamRef: string | null | undefined,
  ): Promise<string | undefined> {
    const teamId = teamRef
      ? await this.#teams?.litellmTeamIdFor(teamRef)
      : undefined;
    if (!teamId && !ownerRef.startsWith('user:')) {
      throw new ConflictError(
        `${
          teamRef ?? ownerRef
        } is not a LiteMaaS team: an administrator must enable it as a team (or its catalog annotations) before it can own keys`,
      );
    }
    return teamId;
  }

  /** Changes a key in LiteLLM; `action` names what did not happen on failure. */
  async update(
    key: ApiKey,
    changes: LiteLLMKeyUpdateRequest,
    action: string,
  ): Promise<void> {
    await this.#change(key, action, hash =>
      this.#litellm.updateKey(hash, changes),
    );
  }

  async block(key: ApiKey, action: string): Promise<void> {
    await this.#change(key, action, hash => this.#litellm.blockKey(hash));
  }

  async unblock(key: ApiKey, action: string): Promise<void> {
    await this.#change(key, action, hash => this.#litellm.unblockKey(hash));
  }

  async #change(
    key: ApiKey,
    action: string,
    call: (hash: string) => Promise<unknown>,
  ): Promise<void> {
    try {
      await call(key.litellmKeyHash!);
    } catch (error) {
      throw toBackstageError(error, action);
    }
    await this.#usage.forget(key.id);
  }

  /**
   * Narrows a key in LiteLLM, then in the database, to `allowed` (a subset of its
   * models). With nothing left the key is blocked instead and keeps its list: LiteLLM
   * never gets an empty list, which means every model. LiteLLM errors are thrown as
   * they come.
   */
  async restrictTo(
    key: ApiKey,
    allowed: readonly string[],
  ): Promise<'unchanged' | 'narrowed' | 'blocked'> {
    const hash = key.litellmKeyHash!;
    if (allowed.length === key.models.length) return 'unchanged';
    if (allowed.length > 0) {
      await this.#litellm.updateKey(hash, { models: [...allowed] });
      await this.#keys.update(key.id, { models: [...allowed] });
      await this.#usage.forget(key.id);
      return 'narrowed';
    }
    if (key.status === 'blocked') return 'unchanged';
    await this.#litellm.blockKey(hash);
    await this.#keys.setStatus(key.id, 'blocked', { blockedByAdmin: false });
    await this.#usage.forget(key.id);
    return 'blocked';
  }

  /**
   * Undoes a {@link KeyProvisioner.restrictTo} of `before` (the key as it was): its
   * models back, and unblocked when that blocked it. LiteLLM first, then the database.
   */
  async restore(before: ApiKey): Promise<void> {
    const hash = before.litellmKeyHash!;
    const current = await this.#keys.get(before.id);
    if (!current) return;
    if (current.status === 'blocked' && before.status !== 'blocked') {
      await this.#litellm.unblockKey(hash);
      await this.#keys.setStatus(before.id, 'active');
    }
    if (current.models.length !== before.models.length) {
      await this.#litellm.updateKey(hash, { models: [...before.models] });
      await this.#keys.update(before.id, { models: [...before.models] });
    }
    await this.#usage.forget(before.id);
  }

  /** True when LiteLLM has no key with this alias any more. */
  async deleteAlias(alias: string): Promise<boolean> {
    try {
      await this.#litellm.deleteKeysByAlias([alias]);
      return true;
    } catch (error) {
      return error instanceof LiteLLMNotFoundError;
    }
  }

  /** Deletes the key in LiteLLM (gone already is fine), then marks it revoked. */
  async deleteAndRevoke(key: ApiKey, action: string): Promise<ApiKey> {
    if (key.litellmKeyHash) {
      try {
        await this.#litellm.deleteKeys([key.litellmKeyHash]);
      } catch (error) {
        if (!(error instanceof LiteLLMNotFoundError)) {
          throw toBackstageError(error, action);
        }
      }
    }
    await this.#usage.forget(key.id);
    const revoked = await this.#keys.setStatus(key.id, 'revoked');
    this.#logger.info('Revoked an API key', {
      keyId: key.id,
      ownerRef: key.ownerRef,
    });
    return revoked;
  }

  /** Ends the old key of a rotation: at once, or after the grace period. */
  async retire(old: ApiKey, graceSeconds: number, now: Date): Promise<ApiKey> {
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
      await this.#usage.forget(old.id);
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

  /**
   * What a key spent in its current budget period (LiteLLM resets a key's spend when the
   * period ends); 0 when LiteLLM no longer has the key, 503 when it cannot be asked.
   */
  async currentSpend(key: ApiKey): Promise<number> {
    try {
      const info = await this.tryKeyInfo(key.litellmKeyHash!, true);
      return info?.spend ?? 0;
    } catch (error) {
      throw toBackstageError(error, 'the key was not rotated');
    }
  }

  /** LiteLLM's row of a key, or undefined when unknown or unreachable. */
  async tryKeyInfo(
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

  /** Settles a pending key whose LiteLLM creation failed or must be undone. */
  async #abandon(
    id: string,
    alias: string,
    error: unknown,
    compensate = isAmbiguous(error),
  ): Promise<void> {
    if (compensate && !(await this.deleteAlias(alias))) {
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
}
