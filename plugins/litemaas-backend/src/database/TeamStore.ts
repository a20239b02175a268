import { ConflictError, NotFoundError } from '@backstage/errors';
import { TeamSettingField } from '@litemaas/backstage-plugin-litemaas-common';
import { Knex } from 'knex';
import {
  chunk,
  DbNumber,
  DbTimestamp,
  definedOnly,
  toIso,
  toIsoOrNull,
  toNumberOrNull,
} from './mappers';

const TABLE = 'litemaas_teams';
const MEMBERS = 'litemaas_team_members';

/** A team as stored (without live LiteLLM figures). */
export interface StoredTeam {
  ref: string;
  litellmTeamId: string;
  displayName: string | null;
  maxBudget: number | null;
  budgetDuration: string | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
  allowedModels: string[] | null;
  catalogManaged: TeamSettingField[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  lastSyncedAt: string | null;
}

/** The settings of a team; `null` removes one, `undefined` leaves it alone. */
export interface TeamSettings {
  displayName?: string | null;
  maxBudget?: number | null;
  budgetDuration?: string | null;
  tpmLimit?: number | null;
  rpmLimit?: number | null;
  allowedModels?: string[] | null;
  catalogManaged?: TeamSettingField[];
}

interface TeamRow {
  group_ref: string;
  litellm_team_id: string;
  display_name: string | null;
  max_budget: DbNumber | null;
  budget_duration: string | null;
  tpm_limit: DbNumber | null;
  rpm_limit: DbNumber | null;
  allowed_models: string | null;
  catalog_fields: string;
  created_by: string;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
  last_synced_at: DbTimestamp | null;
}

function fromRow(row: TeamRow): StoredTeam {
  return {
    ref: row.group_ref,
    litellmTeamId: row.litellm_team_id,
    displayName: row.display_name,
    maxBudget: toNumberOrNull(row.max_budget),
    budgetDuration: row.budget_duration,
    tpmLimit: toNumberOrNull(row.tpm_limit),
    rpmLimit: toNumberOrNull(row.rpm_limit),
    allowedModels:
      row.allowed_models === null ? null : JSON.parse(row.allowed_models),
    catalogManaged: JSON.parse(row.catalog_fields),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    lastSyncedAt: toIsoOrNull(row.last_synced_at),
  };
}

function modelsColumn(models: string[] | null | undefined) {
  if (models === undefined || models === null) return models;
  return JSON.stringify([...new Set(models)].sort());
}

function columns(settings: TeamSettings) {
  return definedOnly({
    display_name: settings.displayName,
    max_budget: settings.maxBudget,
    budget_duration: settings.budgetDuration,
    tpm_limit: settings.tpmLimit,
    rpm_limit: settings.rpmLimit,
    allowed_models: modelsColumn(settings.allowedModels),
    catalog_fields:
      settings.catalogManaged === undefined
        ? undefined
        : JSON.stringify([...settings.catalogManaged].sort()),
  });
}

/** LiteMaaS teams and their synced membership. */
export class TeamStore {
  constructor(private readonly db: Knex) {}

  /**
   * Inserts a team and its first members, both or neither; ConflictError when the group
   * already has one.
   */
  async create(
    input: TeamSettings & {
      ref: string;
      litellmTeamId: string;
      createdBy: string;
      members?: readonly string[];
    },
  ): Promise<StoredTeam> {
    await this.db.transaction(async tx => {
      await this.#insert(tx, input);
      await this.#addMembers(tx, input.ref, input.members ?? []);
    });
    return (await this.get(input.ref))!;
  }

  async #insert(
    tx: Knex.Transaction,
    input: TeamSettings & {
      ref: string;
      litellmTeamId: string;
      createdBy: string;
    },
  ): Promise<void> {
    const now = new Date();
    const inserted = await tx(TABLE)
      .insert({
        group_ref: input.ref,
        litellm_team_id: input.litellmTeamId,
        display_name: null,
        max_budget: null,
        budget_duration: null,
        tpm_limit: null,
        rpm_limit: null,
        allowed_models: null,
        catalog_fields: '[]',
        ...columns(input),
        created_by: input.createdBy,
        created_at: now,
        updated_at: now,
        last_synced_at: null,
      })
      .onConflict('group_ref')
      .ignore()
      .returning('group_ref');
    if (inserted.length === 0) {
      throw new ConflictError(`LiteMaaS is already enabled for ${input.ref}`);
    }
  }

  async get(ref: string): Promise<StoredTeam | undefined> {
    const row = await this.db<TeamRow>(TABLE).where({ group_ref: ref }).first();
    return row ? fromRow(row) : undefined;
  }

  async getMany(refs: readonly string[]): Promise<StoredTeam[]> {
    const out: StoredTeam[] = [];
    for (const part of chunk(refs)) {
      const rows = await this.db<TeamRow>(TABLE)
        .whereIn('group_ref', part)
        .orderBy('group_ref', 'asc');
      out.push(...rows.map(fromRow));
    }
    return out.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  async list(): Promise<StoredTeam[]> {
    const rows = await this.db<TeamRow>(TABLE).orderBy('group_ref', 'asc');
    return rows.map(fromRow);
  }

  async update(ref: string, settings: TeamSettings): Promise<StoredTeam> {
    const count = await this.db(TABLE)
      .where({ group_ref: ref })
      .update({ ...columns(settings), updated_at: new Date() });
    if (count === 0) {
      throw new NotFoundError(`Team '${ref}' not found`);
    }
    return (await this.get(ref))!;
  }

  async markSynced(ref: string, at: Date): Promise<void> {
    await this.db(TABLE)
      .where({ group_ref: ref })
      .update({ last_synced_at: at });
  }

  async delete(ref: string): Promise<void> {
    await this.db(TABLE).where({ group_ref: ref }).delete();
  }

  async members(ref: string): Promise<string[]> {
    return this.db(MEMBERS)
      .where({ group_ref: ref })
      .orderBy('user_ref', 'asc')
      .pluck('user_ref');
  }

  /** Which of the teams `refs` list the user as a member (one query). */
  async memberOf(
    userRef: string,
    refs: readonly string[],
  ): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunk(refs)) {
      const rows: string[] = await this.db(MEMBERS)
        .where({ user_ref: userRef })
        .whereIn('group_ref', part)
        .pluck('group_ref');
      for (const ref of rows) out.add(ref);
    }
    return out;
  }

  async addMembers(ref: string, userRefs: readonly string[]): Promise<void> {
    await this.#addMembers(this.db, ref, userRefs);
  }

  async #addMembers(
    db: Knex,
    ref: string,
    userRefs: readonly string[],
  ): Promise<void> {
    const now = new Date();
    for (const part of chunk(userRefs)) {
      await db(MEMBERS)
        .insert(
          part.map(user_ref => ({ group_ref: ref, user_ref, added_at: now })),
        )
        .onConflict(['group_ref', 'user_ref'])
        .ignore();
    }
  }

  async removeMembers(ref: string, userRefs: readonly string[]): Promise<void> {
    for (const part of chunk(userRefs)) {
      await this.db(MEMBERS)
        .where({ group_ref: ref })
        .whereIn('user_ref', part)
        .delete();
    }
  }
}
