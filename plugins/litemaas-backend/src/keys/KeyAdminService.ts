import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ApiKey,
  litemaasKeyAdminPermission,
} from '@litemaas/backstage-plugin-litemaas-common';
import { KeyStore, LIVE_KEY_STATUSES } from '../database/KeyStore';
import { hashLiteLLMKey, LiteLLMKeyInfo } from '../litellm';
import { AccessService, Caller } from '../services/AccessService';
import { AuditService } from '../services/AuditService';
import { KeyModelAccess } from './KeyModelAccess';
import { KeyProvisioner } from './KeyProvisioner';
import { KeyReconciler } from './KeyReconciler';
import {
  errorMessage,
  KeyLookupMatch,
  KeyReconcileReport,
  keySubject,
} from './types';

/**
 * What administrators (`litemaas.key.admin`) do to anyone's keys: find a leaked key by its
 * secret or masked name, block it (its owner cannot undo that, and is told), unblock it,
 * and run the key jobs now. Every action is audited.
 */
export class KeyAdminService {
  readonly #keys: KeyStore;
  readonly #provisioner: KeyProvisioner;
  readonly #reconciler: KeyReconciler;
  readonly #modelAccess: KeyModelAccess;
  readonly #access: AccessService;
  readonly #audit: AuditService;
  readonly #logger: LoggerService;
  readonly #notifications?: NotificationService;

  constructor(options: {
    keys: KeyStore;
    provisioner: KeyProvisioner;
    reconciler: KeyReconciler;
    modelAccess: KeyModelAccess;
    access: AccessService;
    audit: AuditService;
    logger: LoggerService;
    /** Tells a key's owner (user or group members) when an admin blocks it. */
    notifications?: NotificationService;
  }) {
    this.#keys = options.keys;
    this.#provisioner = options.provisioner;
    this.#reconciler = options.reconciler;
    this.#modelAccess = options.modelAccess;
    this.#access = options.access;
    this.#audit = options.audit;
    this.#logger = options.logger;
    this.#notifications = options.notifications;
  }

  async lookup(
    caller: Caller,
    input: { secret: string } | { displayName: string },
  ): Promise<{ matches: KeyLookupMatch[] }> {
    const by = 'secret' in input ? 'secret' : 'displayName';
    return this.#audit.trackCaller(
      caller,
      {
        action: 'key.lookup',
        targetType: 'key',
        details: { by },
        severity: 'high',
      },
      async () => {
        await this.#access.require(caller, litemaasKeyAdminPermission);
        if ('secret' in input) {
          const hash = hashLiteLLMKey(input.secret);
          const key = await this.#keys.getByHash(hash);
          const info = await this.#provisioner.tryKeyInfo(hash);
          if (!key && !info) return { matches: [] };
          return { matches: [match(key, info)] };
        }
        const keys = await this.#keys.listByDisplayName(input.displayName);
        const matches = await Promise.all(
          keys.map(async key =>
            match(
              key,
              key.litellmKeyHash && LIVE_KEY_STATUSES.includes(key.status)
                ? await this.#provisioner.tryKeyInfo(key.litellmKeyHash)
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

  async block(
    caller: Caller,
    id: string,
    reason: string | undefined,
  ): Promise<ApiKey> {
    return this.#audit.trackCaller(
      caller,
      {
        action: 'key.block',
        targetType: 'key',
        targetId: id,
        details: { reason },
        severity: 'high',
      },
      async () => {
        await this.#access.require(caller, litemaasKeyAdminPermission);
        const key = await this.#requireKey(id);
        // LiteLLM still holds an expired key: an admin can block it too.
        if (
          !['active', 'blocked', 'expired'].includes(key.status) ||
          !key.litellmKeyHash
        ) {
          throw new ConflictError(`Key '${id}' is ${key.status}`);
        }
        await this.#provisioner.block(key, 'the key was not blocked');
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

  async unblock(caller: Caller, id: string): Promise<ApiKey> {
    return this.#audit.trackCaller(
      caller,
      {
        action: 'key.unblock',
        targetType: 'key',
        targetId: id,
        severity: 'high',
      },
      async () => {
        await this.#access.require(caller, litemaasKeyAdminPermission);
        const key = await this.#requireKey(id);
        if (key.status !== 'blocked' || !key.litellmKeyHash) {
          throw new ConflictError(`Key '${id}' is ${key.status}, not blocked`);
        }
        // Unblocking never gives back a model the owner lost while the key was blocked.
        const allowed = await this.#modelAccess.allowed(
          keySubject(key),
          key.models,
        );
        if (allowed.length === 0) {
          throw new ConflictError(
            `Key '${id}' has no model its owner may still use (${key.models.join(
              ', ',
            )}), so it stays blocked; its owner must subscribe again or give it other models`,
          );
        }
        if (allowed.length < key.models.length) {
          await this.#provisioner.update(
            key,
            { models: allowed },
            'the key was not unblocked',
          );
          await this.#keys.update(id, { models: allowed });
        }
        await this.#provisioner.unblock(key, 'the key was not unblocked');
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
    return this.#reconciler.reconcile(caller.userRef);
  }

  /** Admin-only entry to the rotation grace job (also run every minute). */
  async runGraceExpiry(caller: Caller): Promise<{ revokedKeyIds: string[] }> {
    await this.#access.require(caller, litemaasKeyAdminPermission);
    return this.#reconciler.expireGracePeriods(caller.userRef);
  }

  async #requireKey(id: string): Promise<ApiKey> {
    const key = await this.#keys.get(id);
    if (!key) throw new NotFoundError(`Key '${id}' not found`);
    return key;
  }

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
}

/** A lookup hit from our row and LiteLLM's, either of which may be missing. */
function match(
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
