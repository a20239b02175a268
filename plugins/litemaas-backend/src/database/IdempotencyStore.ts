import { Knex } from 'knex';
import { DbTimestamp } from './mappers';

const TABLE = 'litemaas_idempotency_keys';

interface IdempotencyRow {
  caller_ref: string;
  idempotency_key: string;
  request_hash: string;
  key_id: string | null;
  reveal_ciphertext: string | null;
  reveal_iv: string | null;
  reveal_auth_tag: string | null;
  created_at: DbTimestamp;
}

/** What a caller's earlier request under the same `Idempotency-Key` left. */
export type IdempotencyClaim =
  /** No earlier request: this one goes ahead. */
  | { state: 'new' }
  /** An earlier request is still running. */
  | { state: 'in-progress' }
  /** An earlier request with another body. */
  | { state: 'mismatch' }
  /** An earlier request made this key. */
  | {
      state: 'done';
      keyId: string;
      reveal?: { ciphertext: string; iv: string; authTag: string };
    };

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e.code === '23505' ||
    /SQLITE_CONSTRAINT|UNIQUE constraint/i.test(`${e.code} ${e.message}`)
  );
}

/**
 * `Idempotency-Key`s of key creations, per caller. The first request inserts the row (the
 * primary key lets exactly one of concurrent requests do it) and completes it with the
 * key it made; a failed request deletes it so a retry can run.
 */
export class IdempotencyStore {
  constructor(private readonly db: Knex) {}

  /**
   * Claims `(callerRef, key)` for a request whose body hashes to `requestHash`. Rows
   * created before `forgetBefore` are forgotten, and in-progress rows created before
   * `staleBefore` (a crashed request) are taken over.
   */
  async claim(input: {
    callerRef: string;
    key: string;
    requestHash: string;
    now: Date;
    forgetBefore: Date;
    staleBefore: Date;
  }): Promise<IdempotencyClaim> {
    const where = {
      caller_ref: input.callerRef,
      idempotency_key: input.key,
    };
    await this.db(TABLE)
      .where(where)
      .andWhere(q =>
        q
          .where('created_at', '<', input.forgetBefore)
          .orWhere(stale =>
            stale
              .whereNull('key_id')
              .where('created_at', '<', input.staleBefore),
          ),
      )
      .delete();
    try {
      await this.db(TABLE).insert({
        ...where,
        request_hash: input.requestHash,
        key_id: null,
        created_at: input.now,
      });
      return { state: 'new' };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const row = await this.db<IdempotencyRow>(TABLE).where(where).first();
    if (!row) return { state: 'in-progress' };
    if (row.request_hash !== input.requestHash) return { state: 'mismatch' };
    if (!row.key_id) return { state: 'in-progress' };
    return {
      state: 'done',
      keyId: row.key_id,
      ...(row.reveal_ciphertext
        ? {
            reveal: {
              ciphertext: row.reveal_ciphertext,
              iv: row.reveal_iv!,
              authTag: row.reveal_auth_tag!,
            },
          }
        : {}),
    };
  }

  /** Records what a claimed request made. */
  async complete(input: {
    callerRef: string;
    key: string;
    keyId: string;
    reveal?: { ciphertext: string; iv: string; authTag: string };
  }): Promise<void> {
    await this.db(TABLE)
      .where({ caller_ref: input.callerRef, idempotency_key: input.key })
      .update({
        key_id: input.keyId,
        reveal_ciphertext: input.reveal?.ciphertext ?? null,
        reveal_iv: input.reveal?.iv ?? null,
        reveal_auth_tag: input.reveal?.authTag ?? null,
      });
  }

  /** Forgets a claim whose request failed, so a retry can run. */
  async release(callerRef: string, key: string): Promise<void> {
    await this.db(TABLE)
      .where({ caller_ref: callerRef, idempotency_key: key })
      .whereNull('key_id')
      .delete();
  }

  /** Deletes keys created before `date`; returns how many. */
  async purgeCreatedBefore(date: Date): Promise<number> {
    return this.db(TABLE).where('created_at', '<', date).delete();
  }
}
