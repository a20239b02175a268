import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { ApiKey } from '@litemaas/backstage-plugin-litemaas-common';
import {
  HELD_KEY_STATUSES,
  KeyStore,
  LIVE_KEY_STATUSES,
} from '../database/KeyStore';
import { LiteLLMApi, LiteLLMKeyInfo, LiteLLMNotFoundError } from '../litellm';
import { AuditService } from '../services/AuditService';
import { LITEMAAS_SYSTEM_ACTOR } from '../services/ModelService';
import { KeyAccessChanges, KeyModelRevoker } from './KeyModelRevoker';
import { KeyModelAccess } from './KeyModelAccess';
import { KeyProvisioner } from './KeyProvisioner';
import {
  errorMessage,
  KEY_MANAGED_BY,
  KeyReconcileReport,
  keySubject,
  PENDING_TIMEOUT_MS,
} from './types';

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every(x => sa.has(x));
}

/**
 * Keeps LiteLLM and the database in agreement: the reconciliation job, the end of
 * rotation grace periods, and the removal of a model from a subject's keys when its
 * access goes away (never widening a key: one that loses its last model is blocked).
 */
export class KeyReconciler implements KeyModelRevoker {
  readonly #keys: KeyStore;
  readonly #litellm: LiteLLMApi;
  readonly #provisioner: KeyProvisioner;
  readonly #access: KeyModelAccess;
  readonly #audit: AuditService;
  readonly #logger: LoggerService;
  readonly #now: () => Date;

  constructor(options: {
    keys: KeyStore;
    litellm: LiteLLMApi;
    provisioner: KeyProvisioner;
    access: KeyModelAccess;
    audit: AuditService;
    logger: LoggerService;
    now: () => Date;
  }) {
    this.#keys = options.keys;
    this.#litellm = options.litellm;
    this.#provisioner = options.provisioner;
    this.#access = options.access;
    this.#audit = options.audit;
    this.#logger = options.logger;
    this.#now = options.now;
  }

  async removeModelFromSubjectKeys(input: {
    subjectRef: string;
    modelId: string;
    actorRef: string;
    reason: string;
  }): Promise<KeyAccessChanges> {
    const { subjectRef, modelId } = input;
    const keys = (await this.#keys.listByModel(modelId)).filter(
      k => keySubject(k) === subjectRef,
    );
    return this.#enforceAll(keys, input, `model '${modelId}'`, modelId);
  }

  async removeModelFromKeysOf(input: {
    subjectRefs: readonly string[];
    modelId: string;
    actorRef: string;
    reason: string;
  }): Promise<KeyAccessChanges> {
    const { modelId, actorRef, reason } = input;
    const subjects = new Set(input.subjectRefs);
    const keys = (await this.#keys.listByModel(modelId)).filter(
      k =>
        subjects.has(k.ownerRef) && k.status !== 'pending' && k.litellmKeyHash,
    );
    const changed: ApiKey[] = [];
    const updatedKeyIds: string[] = [];
    const blockedKeyIds: string[] = [];
    try {
      for (const key of keys) {
        const outcome = await this.enforceKey(key, {
          actorRef,
          reason,
          withoutModel: modelId,
        });
        if (outcome === 'unchanged') continue;
        changed.push(key);
        (outcome === 'blocked' ? blockedKeyIds : updatedKeyIds).push(key.id);
      }
    } catch (error) {
      const undone = await this.#restoreAll(changed, actorRef, reason);
      throw new ServiceUnavailableError(
        `Could not remove model '${modelId}' from the keys (${errorMessage(
          error,
        )}); ${
          undone
            ? 'nothing was changed'
            : 'some keys could not be given it back: the reconciliation job checks them'
        }; try again`,
      );
    }
    return { updatedKeyIds, blockedKeyIds };
  }

  /** Gives keys back what {@link KeyReconciler.enforceKey} took; true when all were. */
  async #restoreAll(
    keys: ApiKey[],
    actorRef: string,
    reason: string,
  ): Promise<boolean> {
    let all = true;
    for (const key of keys) {
      try {
        await this.#audit.track(
          {
            actorRef,
            action: 'key.update',
            targetType: 'key',
            targetId: key.id,
            details: { models: key.models, reason: `undone: ${reason}` },
          },
          () => this.#provisioner.restore(key),
        );
      } catch (error) {
        all = false;
        this.#logger.error('Could not give a key its models back', {
          keyId: key.id,
          error: errorMessage(error),
        });
      }
    }
    return all;
  }

  async attachSubjectKeysToTeam(input: {
    subjectRef: string;
    teamId: string;
  }): Promise<{ attachedKeyIds: string[] }> {
    const keys = await this.#keys.listForOwners([input.subjectRef], {
      statuses: HELD_KEY_STATUSES,
    });
    const attachedKeyIds: string[] = [];
    for (const key of keys) {
      if (key.status === 'pending' || !key.litellmKeyHash) continue;
      await this.#provisioner.update(
        key,
        { team_id: input.teamId },
        'the team was not enabled',
      );
      attachedKeyIds.push(key.id);
    }
    return { attachedKeyIds };
  }

  async enforceSubjectAccess(input: {
    subjectRef: string;
    actorRef: string;
    reason: string;
  }): Promise<KeyAccessChanges> {
    const keys = await this.#keys.listForOwners([input.subjectRef], {
      statuses: HELD_KEY_STATUSES,
    });
    return this.#enforceAll(keys, input, 'withdrawn models');
  }

  /**
   * Brings one key within what its owner may use now (never with `withoutModel`):
   * narrowed, or blocked when nothing is left. Audited; LiteLLM errors are thrown.
   */
  async enforceKey(
    key: ApiKey,
    change: { actorRef: string; reason: string; withoutModel?: string },
  ): Promise<'unchanged' | 'narrowed' | 'blocked'> {
    const allowed = (
      await this.#access.allowed(keySubject(key), key.models)
    ).filter(m => m !== change.withoutModel);
    if (
      allowed.length === key.models.length ||
      (allowed.length === 0 && key.status === 'blocked')
    ) {
      return 'unchanged';
    }
    const removed = key.models.filter(m => !allowed.includes(m));
    return this.#audit.track(
      {
        actorRef: change.actorRef,
        action: allowed.length > 0 ? 'key.update' : 'key.block',
        targetType: 'key',
        targetId: key.id,
        details: {
          removedModels: removed,
          models: allowed,
          reason: change.reason,
          ...(allowed.length === 0 ? { lastModel: true } : {}),
        },
      },
      () => this.#provisioner.restrictTo(key, allowed),
    );
  }

  /**
   * Enforces access on each key; pending ones are left to their activation, which
   * checks again. One failure does not stop the others; any failure ends in a 503.
   */
  async #enforceAll(
    keys: ApiKey[],
    change: { subjectRef: string; actorRef: string; reason: string },
    what: string,
    withoutModel?: string,
  ): Promise<KeyAccessChanges> {
    const updatedKeyIds: string[] = [];
    const blockedKeyIds: string[] = [];
    const failed: string[] = [];
    for (const key of keys) {
      if (key.status === 'pending' || !key.litellmKeyHash) continue;
      try {
        const outcome = await this.enforceKey(key, { ...change, withoutModel });
        if (outcome === 'narrowed') updatedKeyIds.push(key.id);
        if (outcome === 'blocked') blockedKeyIds.push(key.id);
      } catch (error) {
        failed.push(key.id);
        this.#logger.error('Could not take a withdrawn model out of a key', {
          keyId: key.id,
          error: errorMessage(error),
        });
      }
    }
    if (failed.length > 0) {
      throw new ServiceUnavailableError(
        `Could not remove ${what} from ${failed.length} key(s) of ${
          change.subjectRef
        } (${failed.join(', ')}); try again`,
      );
    }
    return { updatedKeyIds, blockedKeyIds };
  }

  /** Deletes the keys whose rotation grace period ended and marks them revoked. */
  async expireGracePeriods(
    actorRef = LITEMAAS_SYSTEM_ACTOR,
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
          () =>
            this.#provisioner.deleteAndRevoke(key, 'the key was not revoked'),
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
   *    while the row is: LiteLLM is put back to the row, without the models its owner
   *    may no longer use (never wider than both);
   * 5. keys claimed longer than {@link PENDING_TIMEOUT_MS} ago by a rotation whose
   *    successor is not live (never made, failed, or marked revoked by step 3) are
   *    released: rotatable again. After steps 1-3, so one run settles a rotation whose
   *    successor's row was recorded active just as the database went away (the request
   *    then deleted its LiteLLM key) as well as one that never got that far; it runs
   *    even when LiteLLM cannot be listed;
   * 6. keys with a model their owner may no longer use (a withdrawal whose key update
   *    failed): narrowed, or blocked when nothing is left.
   */
  async reconcile(
    actorRef = LITEMAAS_SYSTEM_ACTOR,
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
      accessNarrowed: 0,
      rotationsReleased: 0,
      errors: 0,
      litellmKeysSeen: 0,
    };
    const started = this.#now();
    await this.#settleStuck(started, pendingOlderThanMs, report);
    const seen = await this.#managedLiteLLMKeys(report);
    if (seen) {
      await this.#deleteOrphans(seen, report);
      await this.#repairLiveRows(seen, started, report);
    }
    await this.#releaseAbandonedRotations(started, pendingOlderThanMs, report);
    if (seen) await this.#enforceAccess(started, report);
    return report;
  }

  /** 6. Access withdrawn while a key could not be told. */
  async #enforceAccess(
    started: Date,
    report: KeyReconcileReport,
  ): Promise<void> {
    const held = await this.#keys.listByStatus([
      'active',
      'blocked',
      'expired',
    ]);
    for (const key of held) {
      if (!key.litellmKeyHash) continue;
      if (new Date(key.updatedAt).getTime() >= started.getTime()) continue;
      try {
        const outcome = await this.enforceKey(key, {
          actorRef: LITEMAAS_SYSTEM_ACTOR,
          reason: 'access withdrawn (reconciliation)',
        });
        if (outcome !== 'unchanged') report.accessNarrowed++;
      } catch (error) {
        report.errors++;
        this.#logger.warn('Key reconciliation could not narrow a key', {
          keyId: key.id,
          error: errorMessage(error),
        });
      }
    }
  }

  /** 1. Stuck creations. */
  async #settleStuck(
    started: Date,
    pendingOlderThanMs: number,
    report: KeyReconcileReport,
  ): Promise<void> {
    const stuck = await this.#keys.listPendingOlderThan(
      new Date(started.getTime() - pendingOlderThanMs),
    );
    for (const key of stuck) {
      if (await this.#provisioner.deleteAlias(key.litellmAlias)) {
        await this.#keys.markFailed(key.id).catch(() => undefined);
        report.pendingSettled++;
      } else {
        report.pendingLeft++;
        report.errors++;
      }
    }
  }

  /** 5. Rotations that failed without giving their claim back. */
  async #releaseAbandonedRotations(
    started: Date,
    olderThanMs: number,
    report: KeyReconcileReport,
  ): Promise<void> {
    const claimed = await this.#keys.listAbandonedRotationClaims(
      new Date(started.getTime() - olderThanMs),
    );
    for (const key of claimed) {
      await this.#keys.releaseRotation(key.id);
      report.rotationsReleased++;
      this.#logger.warn(
        'Released the claim of a rotation that never finished',
        {
          keyId: key.id,
        },
      );
    }
  }

  /** LiteLLM's view of the keys LiteMaaS minted; undefined when it cannot be listed. */
  async #managedLiteLLMKeys(
    report: KeyReconcileReport,
  ): Promise<Map<string, LiteLLMKeyInfo> | undefined> {
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
      return undefined;
    }
    report.litellmKeysSeen = seen.size;
    return seen;
  }

  /** 2. LiteLLM keys without a live row. */
  async #deleteOrphans(
    seen: Map<string, LiteLLMKeyInfo>,
    report: KeyReconcileReport,
  ): Promise<void> {
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
  }

  /** 3 and 4. The database's live keys. */
  async #repairLiveRows(
    seen: Map<string, LiteLLMKeyInfo>,
    started: Date,
    report: KeyReconcileReport,
  ): Promise<void> {
    const live = await this.#keys.listByStatus(['active', 'blocked']);
    const nowMs = this.#now().getTime();
    for (const key of live) {
      if (!key.litellmKeyHash) continue;
      // Settled after the listing began: the listing may not show it yet.
      if (new Date(key.updatedAt).getTime() >= started.getTime()) continue;
      const info = seen.get(key.litellmKeyHash);
      try {
        if (!info) {
          const confirmed = await this.#provisioner.tryKeyInfo(
            key.litellmKeyHash,
            true,
          );
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
          // Back to the row, but never to a model its owner may no longer use (a
          // withdrawal whose key update failed): step 5 takes that out of the row, and
          // until then LiteLLM must not grant it again.
          const allowed = await this.#access.allowed(
            keySubject(key),
            key.models,
          );
          if (allowed.length > 0 && !sameSet(litellmModels, allowed)) {
            await this.#litellm.updateKey(key.litellmKeyHash, {
              models: allowed,
            });
            report.driftFixed++;
            this.#logger.warn('Put a LiteLLM key back to its LiteMaaS models', {
              keyId: key.id,
            });
          }
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
  }
}
