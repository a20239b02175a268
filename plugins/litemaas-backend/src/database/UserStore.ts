import { NotFoundError } from '@backstage/errors';
import { UserLimits } from '@litemaas/backstage-plugin-litemaas-common';
import { Knex } from 'knex';
import { definedOnly, UserRow, userFromRow } from './mappers';

const TABLE = 'litemaas_users';

/** Per-user overrides; `null` means the configured default, `undefined` leaves a field alone. */
export interface UserLimitsUpdate {
  litellmUserId?: string | null;
  maxBudget?: number | null;
  budgetDuration?: string | null;
  tpmLimit?: number | null;
  rpmLimit?: number | null;
  maxKeys?: number | null;
}

function columns(update: UserLimitsUpdate) {
  return definedOnly({
    litellm_user_id: update.litellmUserId,
    max_budget: update.maxBudget,
    budget_duration: update.budgetDuration,
    tpm_limit: update.tpmLimit,
    rpm_limit: update.rpmLimit,
    max_keys: update.maxKeys,
  });
}

/** Users known to LiteMaaS, keyed by their Backstage entity ref. */
export class UserStore {
  constructor(private readonly db: Knex) {}

  /**
   * Returns the user's row, creating it with `defaults` when missing. Safe under
   * concurrent calls: exactly one caller gets `created: true`, and defaults never
   * overwrite an existing row.
   */
  async getOrCreate(
    entityRef: string,
    defaults: UserLimitsUpdate = {},
  ): Promise<{ user: UserLimits; created: boolean }> {
    const now = new Date();
    const inserted = await this.db(TABLE)
      .insert({
        entity_ref: entityRef,
        ...columns(defaults),
        created_at: now,
        updated_at: now,
      })
      .onConflict('entity_ref')
      .ignore()
      .returning('entity_ref');
    const user = await this.get(entityRef);
    if (!user) {
      throw new Error(`User '${entityRef}' vanished right after its insert`);
    }
    return { user, created: inserted.length > 0 };
  }

  async get(entityRef: string): Promise<UserLimits | undefined> {
    const row = await this.db<UserRow>(TABLE)
      .where({ entity_ref: entityRef })
      .first();
    return row ? userFromRow(row) : undefined;
  }

  /** One page of users, ordered by entity ref. */
  async list(page: { limit: number; offset: number }): Promise<UserLimits[]> {
    const rows = await this.db<UserRow>(TABLE)
      .orderBy('entity_ref', 'asc')
      .limit(page.limit)
      .offset(page.offset);
    return rows.map(userFromRow);
  }

  /** Changes overrides; throws NotFoundError for an unknown user. */
  async update(
    entityRef: string,
    update: UserLimitsUpdate,
  ): Promise<UserLimits> {
    const count = await this.db(TABLE)
      .where({ entity_ref: entityRef })
      .update({ ...columns(update), updated_at: new Date() });
    const user = count > 0 ? await this.get(entityRef) : undefined;
    if (!user) {
      throw new NotFoundError(`User '${entityRef}' not found`);
    }
    return user;
  }
}
