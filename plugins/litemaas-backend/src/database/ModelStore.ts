import { NotFoundError } from '@backstage/errors';
import { Model, ModelStatus } from '@litemaas/backstage-plugin-litemaas-common';
import { Knex } from 'knex';
import {
  chunk,
  definedOnly,
  escapeLike,
  ModelRow,
  modelFromRow,
  toDateOrNull,
} from './mappers';

const TABLE = 'litemaas_models';

/** A model as the LiteLLM sync reports it. */
export interface ModelSyncInput {
  id: string;
  provider: string;
  description?: string | null;
  contextLength?: number | null;
  inputCostPerToken?: number | null;
  outputCostPerToken?: number | null;
  capabilities: string[];
  mode: string;
}

export interface ModelSyncResult {
  added: number;
  updated: number;
  /** Models that were available and are no longer reported. */
  unavailable: number;
}

export interface ModelFilter {
  /** Case-insensitive text searched in id, provider and description. */
  search?: string;
  provider?: string;
  capability?: string;
  restricted?: boolean;
  status?: ModelStatus;
}

/** Fields only an admin sets; the sync never overwrites them. */
export interface ModelAdminUpdate {
  restricted?: boolean;
  description?: string | null;
  ownerGroupRef?: string | null;
  deprecated?: boolean;
  replacementModelId?: string | null;
  deprecationDate?: Date | string | null;
}

/** The columns a sync owns, as they are written. */
function syncedColumns(model: ModelSyncInput) {
  return {
    provider: model.provider,
    context_length: model.contextLength ?? null,
    input_cost_per_token: model.inputCostPerToken ?? null,
    output_cost_per_token: model.outputCostPerToken ?? null,
    capabilities: JSON.stringify(model.capabilities),
    mode: model.mode,
  };
}

/**
 * The models table. Models are never deleted: a model the proxy stops reporting is
 * marked `unavailable`, so subscriptions and keys that name it keep their meaning.
 */
export class ModelStore {
  constructor(private readonly db: Knex) {}

  /**
   * Applies a full sync: new models are added, changed ones updated, and models missing
   * from the list are marked unavailable. The description is taken from the sync only
   * while the model has none, so an admin's description survives.
   */
  async upsertMany(
    models: ModelSyncInput[],
    now: Date = new Date(),
  ): Promise<ModelSyncResult> {
    const incoming = new Map(models.map(m => [m.id, m]));
    return this.db.transaction(async tx => {
      const existing = new Map(
        (await tx<ModelRow>(TABLE).select()).map(row => [row.id, row]),
      );
      const result: ModelSyncResult = { added: 0, updated: 0, unavailable: 0 };
      const toInsert = [];

      for (const model of incoming.values()) {
        const row = existing.get(model.id);
        const synced = syncedColumns(model);
        if (!row) {
          toInsert.push({
            id: model.id,
            ...synced,
            description: model.description ?? null,
            restricted: false,
            status: 'available',
            deprecated: false,
            last_synced_at: now,
            created_at: now,
            updated_at: now,
          });
          continue;
        }
        const changes: Partial<ModelRow> = Object.fromEntries(
          Object.entries(synced).filter(
            ([column, value]) => row[column as keyof ModelRow] !== value,
          ),
        );
        if (row.status !== 'available') {
          changes.status = 'available';
        }
        if (row.description === null && model.description) {
          changes.description = model.description;
        }
        if (Object.keys(changes).length > 0) {
          await tx(TABLE)
            .where({ id: model.id })
            .update({ ...changes, updated_at: now });
          result.updated += 1;
        }
      }

      for (const rows of chunk(toInsert, 100)) {
        await tx(TABLE).insert(rows).onConflict('id').ignore();
        result.added += rows.length;
      }
      for (const ids of chunk([...incoming.keys()])) {
        await tx(TABLE).whereIn('id', ids).update({ last_synced_at: now });
      }
      const missing = [...existing.values()]
        .filter(row => row.status === 'available' && !incoming.has(row.id))
        .map(row => row.id);
      for (const ids of chunk(missing)) {
        await tx(TABLE)
          .whereIn('id', ids)
          .update({ status: 'unavailable', updated_at: now });
        result.unavailable += ids.length;
      }
      return result;
    });
  }

  /** Lists models matching every given filter, ordered by id. */
  async list(filter: ModelFilter = {}): Promise<Model[]> {
    const query = this.db<ModelRow>(TABLE).orderBy('id', 'asc');
    if (filter.search) {
      const pattern = `%${escapeLike(
        filter.search.toLocaleLowerCase('en-US'),
      )}%`;
      query.where(inner => {
        for (const column of ['id', 'provider', 'description']) {
          inner.orWhereRaw(`lower(??) like ? escape '\\'`, [column, pattern]);
        }
      });
    }
    if (filter.provider) {
      query.where('provider', filter.provider);
    }
    if (filter.capability) {
      const quoted = escapeLike(JSON.stringify(filter.capability));
      query.whereRaw(`capabilities like ? escape '\\'`, [`%${quoted}%`]);
    }
    if (filter.restricted !== undefined) {
      query.where('restricted', filter.restricted);
    }
    if (filter.status) {
      query.where('status', filter.status);
    }
    return (await query).map(modelFromRow);
  }

  async get(id: string): Promise<Model | undefined> {
    const row = await this.db<ModelRow>(TABLE).where({ id }).first();
    return row ? modelFromRow(row) : undefined;
  }

  /** Updates admin-owned fields; throws NotFoundError for an unknown model. */
  async update(id: string, patch: ModelAdminUpdate): Promise<Model> {
    const changes: Record<string, unknown> = {
      restricted: patch.restricted,
      description: patch.description,
      owner_group_ref: patch.ownerGroupRef,
      deprecated: patch.deprecated,
      replacement_model_id: patch.replacementModelId,
      deprecation_date:
        patch.deprecationDate === undefined
          ? undefined
          : toDateOrNull(patch.deprecationDate),
    };
    const count = await this.db(TABLE)
      .where({ id })
      .update({ ...definedOnly(changes), updated_at: new Date() });
    const model = count > 0 ? await this.get(id) : undefined;
    if (!model) {
      throw new NotFoundError(`Model '${id}' not found`);
    }
    return model;
  }
}
