import {
  AuditEntry,
  AuditOutcome,
  AuditPage,
  redactSecrets,
} from '@litemaas/backstage-plugin-litemaas-common';
import { Knex } from 'knex';
import { AuditRow, auditFromRow } from './mappers';

const TABLE = 'litemaas_audit';

export interface AuditInput {
  actorRef: string;
  /** For example `key.create`. */
  action: string;
  targetType?: string;
  targetId?: string;
  outcome: AuditOutcome;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  actorRef?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  /** Inclusive bounds on the time of the entry. */
  from?: Date;
  to?: Date;
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * The append-only audit log. Anything that looks like an API key secret is redacted
 * before it is written, wherever it hides in the entry.
 */
export class AuditStore {
  constructor(private readonly db: Knex) {}

  async append(input: AuditInput): Promise<AuditEntry> {
    const entry = redactSecrets({
      occurred_at: new Date(),
      actor_ref: input.actorRef,
      action: input.action,
      target_type: input.targetType ?? null,
      target_id: input.targetId ?? null,
      outcome: input.outcome,
      reason: input.reason ?? null,
      details: JSON.stringify(input.details ?? {}),
    });
    const [inserted] = await this.db(TABLE).insert(entry).returning('id');
    return auditFromRow({ ...entry, id: inserted.id });
  }

  /**
   * Entries matching every filter, newest (last appended) first, one page at a time.
   */
  async list(filter: AuditFilter): Promise<AuditPage> {
    const query = this.db<AuditRow>(TABLE)
      .orderBy('id', 'desc')
      .limit(filter.limit + 1);
    const equal = {
      actor_ref: filter.actorRef,
      action: filter.action,
      target_type: filter.targetType,
      target_id: filter.targetId,
      outcome: filter.outcome,
    };
    for (const [column, value] of Object.entries(equal)) {
      if (value !== undefined) {
        query.where(column, value);
      }
    }
    if (filter.from) {
      query.where('occurred_at', '>=', filter.from);
    }
    if (filter.to) {
      query.where('occurred_at', '<=', filter.to);
    }
    if (filter.cursor) {
      query.where('id', '<', Number(filter.cursor));
    }
    const rows = await query;
    const items = rows.slice(0, filter.limit).map(auditFromRow);
    return rows.length > filter.limit
      ? { items, nextCursor: String(items[items.length - 1].id) }
      : { items };
  }
}
