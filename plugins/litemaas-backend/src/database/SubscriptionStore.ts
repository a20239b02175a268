import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  isSubscriptionTransitionAllowed,
  Subscription,
  SubscriptionHistoryEntry,
  SubscriptionStatus,
} from '@litemaas/backstage-plugin-litemaas-common';
import { Knex } from 'knex';
import {
  DbNumber,
  historyFromRow,
  SubscriptionHistoryRow,
  SubscriptionRow,
  subscriptionFromRow,
  toDateOrNull,
} from './mappers';

const TABLE = 'litemaas_subscriptions';
const HISTORY = 'litemaas_subscription_history';

export interface CreateSubscriptionInput {
  /** User or group entity ref. */
  subjectRef: string;
  modelId: string;
  /** `active` for an open model, `pending` for a restricted one. */
  status: Extract<SubscriptionStatus, 'active' | 'pending'>;
  justification?: string | null;
  /** Who asked: the user, or the service acting for them. */
  createdBy: string;
}

export interface TransitionInput {
  to: SubscriptionStatus;
  actorRef: string;
  reason?: string | null;
  /** End of a time-limited grant; only used when moving to `active`. */
  expiresAt?: Date | string | null;
  /** A new justification; only used when moving to `pending` (asking again). */
  justification?: string | null;
}

export interface Page<T> {
  items: T[];
  totalCount: number;
}

/**
 * Subscriptions of users and groups to models: one row per subject and model, whose
 * status changes follow SUBSCRIPTION_TRANSITIONS and are all kept in a history.
 */
export class SubscriptionStore {
  constructor(private readonly db: Knex) {}

  /**
   * Creates the subscription of a subject to a model, or returns the existing one
   * untouched (whatever its status). Safe under concurrent calls: the unique index on
   * (subject_ref, model_id) decides, and `created` is true for exactly one caller.
   */
  async createOrGet(
    input: CreateSubscriptionInput,
  ): Promise<{ subscription: Subscription; created: boolean }> {
    const id = randomUUID();
    const now = new Date();
    return this.db.transaction(async tx => {
      await tx(TABLE)
        .insert({
          id,
          subject_ref: input.subjectRef,
          model_id: input.modelId,
          status: input.status,
          justification: input.justification ?? null,
          created_by: input.createdBy,
          created_at: now,
          updated_at: now,
        })
        .onConflict(['subject_ref', 'model_id'])
        .ignore();
      const row = await tx<SubscriptionRow>(TABLE)
        .where({ subject_ref: input.subjectRef, model_id: input.modelId })
        .first();
      if (!row) {
        throw new Error('Subscription vanished right after its insert');
      }
      const created = row.id === id;
      if (created) {
        await tx(HISTORY).insert({
          subscription_id: id,
          from_status: null,
          to_status: input.status,
          actor_ref: input.createdBy,
          reason: null,
          created_at: now,
        });
      }
      return { subscription: subscriptionFromRow(row), created };
    });
  }

  async get(id: string): Promise<Subscription | undefined> {
    const row = await this.db<SubscriptionRow>(TABLE).where({ id }).first();
    return row ? subscriptionFromRow(row) : undefined;
  }

  /** All subscriptions of the given users and groups, oldest first. */
  async listForSubjects(subjectRefs: string[]): Promise<Subscription[]> {
    if (subjectRefs.length === 0) {
      return [];
    }
    const rows = await this.db<SubscriptionRow>(TABLE)
      .whereIn('subject_ref', subjectRefs)
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(subscriptionFromRow);
  }

  /** One page of the subscriptions in a status, oldest first (the approval queue). */
  async listByStatus(
    status: SubscriptionStatus,
    page: { limit: number; offset: number },
  ): Promise<Page<Subscription>> {
    const [rows, [{ count }]] = await Promise.all([
      this.db<SubscriptionRow>(TABLE)
        .where({ status })
        .orderBy([
          { column: 'created_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(page.limit)
        .offset(page.offset),
      this.db(TABLE).where({ status }).count<{ count: DbNumber }[]>({
        count: '*',
      }),
    ]);
    return { items: rows.map(subscriptionFromRow), totalCount: Number(count) };
  }

  /** The active subscriptions to a model, oldest first. */
  async listActiveForModel(modelId: string): Promise<Subscription[]> {
    const rows = await this.db<SubscriptionRow>(TABLE)
      .where({ model_id: modelId, status: 'active' })
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(subscriptionFromRow);
  }

  /** Active subscriptions whose grant ended at or before `now`. */
  async listExpired(now: Date): Promise<Subscription[]> {
    const rows = await this.db<SubscriptionRow>(TABLE)
      .where({ status: 'active' })
      .whereNotNull('expires_at')
      .where('expires_at', '<=', now)
      .orderBy('expires_at', 'asc');
    return rows.map(subscriptionFromRow);
  }

  /** The status history of a subscription, oldest first. */
  async listHistory(
    subscriptionId: string,
  ): Promise<SubscriptionHistoryEntry[]> {
    const rows = await this.db<SubscriptionHistoryRow>(HISTORY)
      .where({ subscription_id: subscriptionId })
      .orderBy('id', 'asc');
    return rows.map(historyFromRow);
  }

  /**
   * Moves a subscription to another status and records it in the history, in one
   * transaction. Throws NotFoundError for an unknown id and ConflictError for a change
   * SUBSCRIPTION_TRANSITIONS does not allow or one that raced with another change.
   *
   * Moving to `active` or `denied` records the actor as the decider; moving to `active`
   * sets (or clears) `expiresAt`; moving to `pending` starts a new request, clearing the
   * previous decision and expiry.
   */
  async transition(id: string, input: TransitionInput): Promise<Subscription> {
    return this.db.transaction(async tx => {
      const row = await tx<SubscriptionRow>(TABLE).where({ id }).first();
      if (!row) {
        throw new NotFoundError(`Subscription '${id}' not found`);
      }
      if (!isSubscriptionTransitionAllowed(row.status, input.to)) {
        throw new ConflictError(
          `Subscription '${id}' cannot go from ${row.status} to ${input.to}`,
        );
      }
      const now = new Date();
      const changes: Partial<SubscriptionRow> = {
        status: input.to,
        reason: input.reason ?? null,
        updated_at: now,
      };
      if (input.to === 'active' || input.to === 'denied') {
        changes.decided_by = input.actorRef;
        changes.decided_at = now;
      }
      if (input.to === 'active') {
        changes.expires_at = toDateOrNull(input.expiresAt);
      }
      if (input.to === 'pending') {
        changes.decided_by = null;
        changes.decided_at = null;
        changes.expires_at = null;
        if (input.justification !== undefined) {
          changes.justification = input.justification;
        }
      }
      const count = await tx(TABLE)
        .where({ id, status: row.status })
        .update(changes);
      if (count === 0) {
        throw new ConflictError(`Subscription '${id}' changed concurrently`);
      }
      await tx(HISTORY).insert({
        subscription_id: id,
        from_status: row.status,
        to_status: input.to,
        actor_ref: input.actorRef,
        reason: input.reason ?? null,
        created_at: now,
      });
      return subscriptionFromRow({ ...row, ...changes });
    });
  }
}
