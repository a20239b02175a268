import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ApiKey,
  apiKeySchema,
  CreateKeyRequest,
  RevealedApiKey,
} from '@litemaas/backstage-plugin-litemaas-common';
import { createHash } from 'node:crypto';
import { IdempotencyStore } from '../database/IdempotencyStore';
import { KeyStore } from '../database/KeyStore';
import { Caller } from '../services/AccessService';
import { RevealService } from '../services/RevealService';
import { CreatedKeyResponse, PENDING_TIMEOUT_MS } from './types';

/** How long an `Idempotency-Key` is remembered. */
export const IDEMPOTENCY_TTL_MS = 86_400_000;

/** What `POST /keys` answers: a new key, or the key an earlier identical request made. */
export type IdempotentKeyResult =
  | { replayed: false; body: CreatedKeyResponse | RevealedApiKey }
  | { replayed: true; body: ApiKey | RevealedApiKey };

/**
 * `Idempotency-Key` of `POST /keys`, scoped to the caller and kept for a day: a repeat of
 * a request returns the key the first one made, without its secret (a reveal delivery
 * returns the same reveal link), so a retried client or scaffolder step never mints a
 * second key. The same key with another body is refused.
 */
export class KeyIdempotency {
  constructor(
    private readonly deps: {
      store: IdempotencyStore;
      keys: KeyStore;
      /** Seals the reveal link of a reveal delivery; undefined without reveals. */
      reveals: RevealService | undefined;
      now: () => Date;
    },
  ) {}

  async create(
    caller: Caller,
    idempotencyKey: string | undefined,
    input: CreateKeyRequest,
    create: () => Promise<CreatedKeyResponse | RevealedApiKey>,
  ): Promise<IdempotentKeyResult> {
    if (idempotencyKey === undefined) {
      return { replayed: false, body: await create() };
    }
    const { store, reveals } = this.deps;
    const now = this.deps.now();
    const claim = await store.claim({
      callerRef: caller.userRef,
      key: idempotencyKey,
      requestHash: createHash('sha256')
        .update(JSON.stringify(input))
        .digest('hex'),
      now,
      forgetBefore: new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
      staleBefore: new Date(now.getTime() - PENDING_TIMEOUT_MS),
    });
    if (claim.state === 'mismatch') {
      throw new ConflictError(
        `Idempotency-Key '${idempotencyKey}' was already used with a different request; use a new key for a new request`,
      );
    }
    if (claim.state === 'in-progress') {
      throw new ConflictError(
        `A request with Idempotency-Key '${idempotencyKey}' is still in progress; retry it shortly`,
      );
    }
    if (claim.state === 'done') {
      const key = await this.deps.keys.get(claim.keyId);
      if (!key) throw new NotFoundError(`Key '${claim.keyId}' not found`);
      // Only the schema's fields: the store holds no secret, and none leaves here.
      const body = apiKeySchema.parse(key);
      if (claim.reveal && reveals) {
        return {
          replayed: true,
          body: { ...body, reveal: JSON.parse(reveals.open(claim.reveal)) },
        };
      }
      return { replayed: true, body };
    }
    let created: CreatedKeyResponse | RevealedApiKey;
    try {
      created = await create();
    } catch (error) {
      await store.release(caller.userRef, idempotencyKey);
      throw error;
    }
    await store.complete({
      callerRef: caller.userRef,
      key: idempotencyKey,
      keyId: created.id,
      reveal:
        'reveal' in created && reveals
          ? reveals.seal(JSON.stringify(created.reveal))
          : undefined,
    });
    return { replayed: false, body: created };
  }

  /** Forgets keys older than a day (the clean-up job); returns how many. */
  async purgeExpired(): Promise<number> {
    return this.deps.store.purgeCreatedBefore(
      new Date(this.deps.now().getTime() - IDEMPOTENCY_TTL_MS),
    );
  }
}
