import { randomUUID } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ApiKey,
  ApiKeyStatus,
  assertNoSecret,
} from '@litemaas/backstage-plugin-litemaas-common';
import { Knex } from 'knex';
import {
  chunk,
  DbNumber,
  definedOnly,
  KeyRow,
  keyFromRow,
  toDateOrNull,
} from './mappers';

const TABLE = 'litemaas_keys';
const MODELS = 'litemaas_key_models';

/** Statuses in which a key still exists in LiteLLM and counts against limits. */
export const LIVE_KEY_STATUSES: readonly ApiKeyStatus[] = [
  'pending',
  'active',
  'blocked',
];

/**
 * Statuses in which LiteLLM still holds the key: they count against key limits until the
 * key is deleted, and lose a model whose access is withdrawn.
 */
export const HELD_KEY_STATUSES: readonly ApiKeyStatus[] = [
  ...LIVE_KEY_STATUSES,
  'expired',
];

/** Pending keys settle through activate/markFailed; revoked and failed ones are final. */
const UNSETTLED_OR_FINAL: readonly ApiKeyStatus[] = [
  'pending',
  'revoked',
  'failed',
];

export interface KeyLimits {
  maxBudget?: number | null;
  budgetDuration?: string | null;
  tpmLimit?: number | null;
  rpmLimit?: number | null;
  expiresAt?: Date | string | null;
}

export interface CreatePendingKeyInput extends KeyLimits {
  ownerRef: string;
  /** The group whose team the key belongs to (none for a user's key). */
  teamRef?: string | null;
  createdBy: string;
  name: string;
  models: string[];
  metadata?: Record<string, string>;
  rotatedFromKeyId?: string;
}

export interface KeyUpdate extends KeyLimits {
  name?: string;
  /** Replaces the key's models; never empty. */
  models?: string[];
  metadata?: Record<string, string>;
}

/**
 * The key limit a new pending key is checked against, inside the transaction that writes
 * it, so concurrent creations of one owner cannot pass the same count.
 */
export interface PendingKeyLimit {
  /** Throws when an owner holding `held` keys may not hold another. */
  check(held: number): void;
  /** A key not counted: the one a rotation without grace replaces at once. */
  excludeKeyId?: string;
  /**
   * Who mints a key for a team stays bound by their own key limit: `check` gets how many
   * held keys they own or created.
   */
  creator?: { ref: string; check(held: number): void };
}

function assertModels(models: string[]): void {
  if (models.length === 0) {
    throw new InputError('A key needs at least one model');
  }
}

function limitColumns(limits: KeyLimits) {
  return {
    max_budget: limits.maxBudget,
    budget_duration: limits.budgetDuration,
    tpm_limit: limits.tpmLimit,
    rpm_limit: limits.rpmLimit,
    expires_at:
      limits.expiresAt === undefined
        ? undefined
        : toDateOrNull(limits.expiresAt),
  };
}

/**
 * API keys and their models. A key row is written `pending` before LiteLLM is asked for
 * the key, under a LiteLLM alias fixed at that moment (`litemaas-<id>`), so a crash at
 * any point leaves something the reconciliation job can find and settle. No column
 * holds the secret, and names or metadata that look like one are refused.
 */
/**
 * The LiteLLM alias of a key: `<sanitized name>_<8 hex of its id>`, readable in LiteLLM's
 * own UI and logs, unique (LiteLLM requires globally unique aliases), and known before
 * LiteLLM is called so a failed creation can be found and cleaned up by alias.
 */
export function litellmAliasFor(name: string, id: string): string {
  const sanitized =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48)
      .replace(/-+$/, '') || 'key';
  return `${sanitized}_${id.replace(/-/g, '').slice(0, 8)}`;
}

export class KeyStore {
  constructor(private readonly db: Knex) {}

  /**
   * Writes a pending key with its models in one transaction. With a `limit`, the keys the
   * owner holds are counted in that transaction, under a lock of the owner's keys, so
   * concurrent creations are counted one after the other on every engine.
   */
  async createPending(
    input: CreatePendingKeyInput,
    limit?: PendingKeyLimit,
  ): Promise<ApiKey> {
    assertModels(input.models);
    assertNoSecret('name', input.name);
    assertNoSecret('metadata', input.metadata);
    const id = randomUUID();
    const now = new Date();
    const row: KeyRow = {
      id,
      owner_ref: input.ownerRef,
      team_ref: input.teamRef ?? null,
      created_by: input.createdBy,
      name: input.name,
      litellm_key_hash: null,
      litellm_alias: litellmAliasFor(input.name, id),
      display_name: null,
      max_budget: input.maxBudget ?? null,
      budget_duration: input.budgetDuration ?? null,
      tpm_limit: input.tpmLimit ?? null,
      rpm_limit: input.rpmLimit ?? null,
      expires_at: toDateOrNull(input.expiresAt),
      metadata: JSON.stringify(input.metadata ?? {}),
      status: 'pending',
      blocked_by_admin: false,
      rotated_from_key_id: input.rotatedFromKeyId ?? null,
      rotated_at: null,
      grace_expires_at: null,
      revoked_at: null,
      created_at: now,
      updated_at: now,
    };
    const models = [...new Set(input.models)].sort();
    await this.db.transaction(async tx => {
      if (limit) {
        await this.#lockOwner(tx, input.ownerRef);
        const held = tx(TABLE)
          .where({ owner_ref: input.ownerRef })
          .whereIn('status', HELD_KEY_STATUSES);
        if (limit.excludeKeyId) held.whereNot({ id: limit.excludeKeyId });
        const [{ count }] = await held.count<{ count: DbNumber }[]>({
          count: '*',
        });
        limit.check(Number(count));
        const creator = limit.creator;
        if (creator && creator.ref !== input.ownerRef) {
          await this.#lockOwner(tx, creator.ref);
          const [mine] = await tx(TABLE)
            .where(q =>
              q.where({ owner_ref: creator.ref }).orWhere({
                created_by: creator.ref,
              }),
            )
            .whereIn('status', HELD_KEY_STATUSES)
            .count<{ count: DbNumber }[]>({ count: '*' });
          creator.check(Number(mine.count));
        }
      }
      await tx(TABLE).insert(row);
      await tx(MODELS).insert(
        models.map(model_id => ({ key_id: id, model_id })),
      );
    });
    return keyFromRow(row, models);
  }

  /**
   * Serializes the key writes of one owner until the transaction ends. PostgreSQL takes a
   * transaction-scoped advisory lock; SQLite runs one write transaction at a time anyway.
   */
  async #lockOwner(tx: Knex.Transaction, ownerRef: string): Promise<void> {
    if (String(tx.client.config.client).includes('pg')) {
      await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
        `litemaas_keys:${ownerRef}`,
      ]);
    }
  }

  /**
   * Claims an active key for rotation in one conditional update: true for exactly one of
   * any number of concurrent calls, false once the key was claimed, rotated or is no
   * longer active.
   */
  async claimRotation(id: string, at: Date): Promise<boolean> {
    const count = await this.db(TABLE)
      .where({ id, status: 'active' })
      .whereNull('rotated_at')
      .whereNull('grace_expires_at')
      .update({ rotated_at: at, updated_at: new Date() });
    return count === 1;
  }

  /** Gives back a rotation claim whose rotation did not happen. */
  async releaseRotation(id: string): Promise<void> {
    await this.db(TABLE)
      .where({ id })
      .update({ rotated_at: null, updated_at: new Date() });
  }

  /** Records the LiteLLM key of a pending key and makes it active. */
  async activate(
    id: string,
    key: { keyHash: string; displayName: string },
  ): Promise<ApiKey> {
    assertNoSecret('displayName', key.displayName);
    return this.#settlePending(id, {
      status: 'active',
      litellm_key_hash: key.keyHash,
      display_name: key.displayName,
    });
  }

  /** Marks a pending key whose LiteLLM key could not be made (or was compensated). */
  async markFailed(id: string): Promise<ApiKey> {
    return this.#settlePending(id, { status: 'failed' });
  }

  async get(id: string): Promise<ApiKey | undefined> {
    return this.#first({ id });
  }

  async getByHash(keyHash: string): Promise<ApiKey | undefined> {
    return this.#first({ litellm_key_hash: keyHash });
  }

  async getByAlias(alias: string): Promise<ApiKey | undefined> {
    return this.#first({ litellm_alias: alias });
  }

  /**
   * Keys of the given owners, and of the teams among them (a component's key belongs to
   * its owner group's team), optionally only some statuses, newest first.
   */
  async listForOwners(
    ownerRefs: string[],
    options: { statuses?: readonly ApiKeyStatus[] } = {},
  ): Promise<ApiKey[]> {
    if (ownerRefs.length === 0) {
      return [];
    }
    const query = this.db<KeyRow>(TABLE)
      .where(q =>
        q.whereIn('owner_ref', ownerRefs).orWhereIn('team_ref', ownerRefs),
      )
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    if (options.statuses) {
      query.whereIn('status', options.statuses);
    }
    return this.#withModels(await query);
  }

  /** Keys LiteLLM still holds (pending, active, blocked or expired) with the model. */
  async listByModel(modelId: string): Promise<ApiKey[]> {
    const rows = await this.db<KeyRow>(TABLE)
      .whereIn('status', HELD_KEY_STATUSES)
      .whereIn(
        'id',
        this.db(MODELS).select('key_id').where({ model_id: modelId }),
      )
      .orderBy('id', 'asc');
    return this.#withModels(rows);
  }

  /** Keys in the given statuses, oldest first (reconciliation walks these). */
  async listByStatus(statuses: readonly ApiKeyStatus[]): Promise<ApiKey[]> {
    const rows = await this.db<KeyRow>(TABLE)
      .whereIn('status', statuses)
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return this.#withModels(rows);
  }

  /** Keys shown as this masked name (`sk-...abcd`); several keys may share one. */
  async listByDisplayName(displayName: string): Promise<ApiKey[]> {
    const rows = await this.db<KeyRow>(TABLE)
      .where({ display_name: displayName })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return this.#withModels(rows);
  }

  /** Pending keys created before `date`: crashed or stuck creations to reconcile. */
  async listPendingOlderThan(date: Date): Promise<ApiKey[]> {
    const rows = await this.db<KeyRow>(TABLE)
      .where({ status: 'pending' })
      .where('created_at', '<', date)
      .orderBy('created_at', 'asc');
    return this.#withModels(rows);
  }

  /**
   * Active keys claimed for a rotation before `before` whose successor never came (none
   * pending, active or blocked): the rotation failed and its claim was not given back
   * (the database went away under it, or the replica died).
   */
  async listAbandonedRotationClaims(before: Date): Promise<ApiKey[]> {
    const rows = await this.db<KeyRow>(TABLE)
      .where({ status: 'active' })
      .whereNotNull('rotated_at')
      .whereNull('grace_expires_at')
      .where('rotated_at', '<', before)
      .whereNotExists(
        this.db(`${TABLE} as successor`)
          .whereRaw('successor.rotated_from_key_id = ??', [`${TABLE}.id`])
          .whereIn('successor.status', LIVE_KEY_STATUSES),
      )
      .orderBy('rotated_at', 'asc');
    return this.#withModels(rows);
  }

  /** Live keys whose rotation grace period ended at or before `now`. */
  async listGraceExpired(now: Date): Promise<ApiKey[]> {
    const rows = await this.db<KeyRow>(TABLE)
      .whereIn('status', LIVE_KEY_STATUSES)
      .whereNotNull('grace_expires_at')
      .where('grace_expires_at', '<=', now)
      .orderBy('grace_expires_at', 'asc');
    return this.#withModels(rows);
  }

  /**
   * Changes name, limits, expiry, metadata and models in one transaction. `null`
   * removes a limit. Only settled keys (active, blocked, expired) can change.
   */
  async update(id: string, patch: KeyUpdate): Promise<ApiKey> {
    if (patch.models) {
      assertModels(patch.models);
    }
    assertNoSecret('name', patch.name);
    assertNoSecret('metadata', patch.metadata);
    await this.db.transaction(async tx => {
      await this.#updateSettled(
        tx,
        id,
        definedOnly({
          name: patch.name,
          metadata:
            patch.metadata === undefined
              ? undefined
              : JSON.stringify(patch.metadata),
          ...limitColumns(patch),
        }),
      );
      if (patch.models) {
        await tx(MODELS).where({ key_id: id }).delete();
        await tx(MODELS).insert(
          [...new Set(patch.models)].map(model_id => ({
            key_id: id,
            model_id,
          })),
        );
      }
    });
    return this.#require(id);
  }

  /**
   * Moves a settled key (active, blocked, expired) to another settled status or to
   * `revoked`. Pending keys settle through activate/markFailed only; revoked and failed
   * keys never change. `blockedByAdmin` is recorded when blocking and cleared on any
   * other status: the caller decides who may lift an admin's block.
   */
  async setStatus(
    id: string,
    status: Exclude<ApiKeyStatus, 'pending' | 'failed'>,
    options: { blockedByAdmin?: boolean } = {},
  ): Promise<ApiKey> {
    await this.#updateSettled(this.db, id, {
      status,
      blocked_by_admin:
        status === 'blocked' ? options.blockedByAdmin ?? false : false,
      ...(status === 'revoked' ? { revoked_at: new Date() } : {}),
    });
    return this.#require(id);
  }

  /** Starts the grace period of a key rotated out: it stops working at `until`. */
  async setGraceExpiry(id: string, until: Date): Promise<ApiKey> {
    await this.#updateSettled(this.db, id, { grace_expires_at: until });
    return this.#require(id);
  }

  /**
   * The write and the read of the settled row are one transaction: a caller that could
   * not read the row back (the database went away in between) has not settled it either,
   * so its compensation does not delete the LiteLLM key of a row left active. Only a
   * commit whose answer is lost remains; key reconciliation settles that one.
   */
  async #settlePending(id: string, changes: Partial<KeyRow>): Promise<ApiKey> {
    return this.db.transaction(async tx => {
      const count = await tx(TABLE)
        .where({ id, status: 'pending' })
        .update({ ...changes, updated_at: new Date() });
      if (count === 0) {
        await this.#require(id, tx);
        throw new ConflictError(`Key '${id}' is not pending`);
      }
      return this.#require(id, tx);
    });
  }

  /**
   * Updates a key unless it is pending, revoked or failed: NotFoundError for an unknown
   * id, ConflictError for a key in one of those statuses. The single conditional update
   * makes the check and the write atomic on every engine.
   */
  async #updateSettled(
    db: Knex,
    id: string,
    changes: Record<string, unknown>,
  ): Promise<void> {
    const count = await db(TABLE)
      .where({ id })
      .whereNotIn('status', UNSETTLED_OR_FINAL)
      .update({ ...changes, updated_at: new Date() });
    if (count === 0) {
      const row = await db<KeyRow>(TABLE).where({ id }).first();
      if (!row) {
        throw new NotFoundError(`Key '${id}' not found`);
      }
      throw new ConflictError(`Key '${id}' is ${row.status}`);
    }
  }

  async #first(
    where: Partial<KeyRow>,
    db: Knex = this.db,
  ): Promise<ApiKey | undefined> {
    const row = await db<KeyRow>(TABLE).where(where).first();
    return row ? (await this.#withModels([row], db))[0] : undefined;
  }

  async #require(id: string, db: Knex = this.db): Promise<ApiKey> {
    const key = await this.#first({ id }, db);
    if (!key) {
      throw new NotFoundError(`Key '${id}' not found`);
    }
    return key;
  }

  async #withModels(rows: KeyRow[], db: Knex = this.db): Promise<ApiKey[]> {
    const models = new Map<string, string[]>();
    for (const ids of chunk(rows.map(row => row.id))) {
      const links = await db<{ key_id: string; model_id: string }>(MODELS)
        .whereIn('key_id', ids)
        .orderBy('model_id', 'asc');
      for (const link of links) {
        models.set(link.key_id, [
          ...(models.get(link.key_id) ?? []),
          link.model_id,
        ]);
      }
    }
    return rows.map(row => keyFromRow(row, models.get(row.id) ?? []));
  }
}
