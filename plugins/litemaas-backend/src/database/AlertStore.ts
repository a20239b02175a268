import { Knex } from 'knex';

const TABLE = 'litemaas_alerts';

/** What identifies an alert: it is sent at most once per subject, kind and period. */
export interface AlertId {
  /** The user or group ref, key id or subscription id the alert is about. */
  subject: string;
  /** For example `budget-80`, `budget-100`, `budget-forecast`, `key-expiring`. */
  kind: string;
  /** The budget period (its reset time), an expiry date, or `once`. */
  period: string;
}

/**
 * Sent alerts. `claim` inserts first and the caller sends after, so of several replicas
 * or runs exactly one sends; `release` undoes a claim whose sending failed so a later
 * run tries again.
 */
export class AlertStore {
  constructor(private readonly db: Knex) {}

  /** True when this call is the one that should send the alert. */
  async claim(id: AlertId, details: Record<string, unknown>): Promise<boolean> {
    const inserted = await this.db(TABLE)
      .insert({
        subject: id.subject.slice(0, 255),
        kind: id.kind,
        period: id.period.slice(0, 64),
        sent_at: new Date(),
        details: JSON.stringify(details),
      })
      .onConflict(['subject', 'kind', 'period'])
      .ignore()
      .returning('subject');
    return inserted.length > 0;
  }

  async release(id: AlertId): Promise<void> {
    await this.db(TABLE)
      .where({
        subject: id.subject.slice(0, 255),
        kind: id.kind,
        period: id.period.slice(0, 64),
      })
      .delete();
  }

  async list(subject?: string): Promise<AlertId[]> {
    const query = this.db(TABLE)
      .select('subject', 'kind', 'period')
      .orderBy('sent_at', 'asc');
    if (subject) query.where({ subject });
    return query;
  }
}
