import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ListModelsQuery,
  Model,
  Subscription,
  SubscriptionStatus,
  UpdateModelRequest,
} from '@litemaas/backstage-plugin-litemaas-common';
import {
  ModelStore,
  ModelSyncInput,
  ModelSyncResult,
} from '../database/ModelStore';
import { SubscriptionStore } from '../database/SubscriptionStore';
import { LiteLLMApi, LiteLLMModelInfo, toBackstageError } from '../litellm';
import { AuditService } from './AuditService';
import { ModelConsumer, ModelImpactService } from './ModelImpactService';
import { Caller } from './AccessService';
import type { SubscriptionReapproval } from './SubscriptionReapproval';

/** The caller's subscription to a model, as `GET /models` shows it. */
export interface ModelSubscriptionSummary {
  id: string;
  /** The user or group the subscription belongs to. */
  subjectRef: string;
  status: SubscriptionStatus;
  expiresAt: string | null;
}

/** A model with the caller's subscription to it (their own, else one of their groups'). */
export type ModelWithSubscription = Model & {
  subscription: ModelSubscriptionSummary | null;
};

/** Actor of the scheduled jobs in the audit trail. */
export const LITEMAAS_SYSTEM_ACTOR = 'plugin:litemaas';

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
}

/** Capabilities implied by LiteLLM's `mode`, in addition to the `supports_*` flags. */
const MODE_CAPABILITIES: Record<string, string> = {
  chat: 'chat',
  completion: 'completion',
  embedding: 'embeddings',
  image_generation: 'image_generation',
  audio_transcription: 'audio_transcription',
  audio_speech: 'audio_speech',
  rerank: 'rerank',
  moderation: 'moderation',
};

/**
 * Maps one `/model/info` entry to what the models table keeps. Provider comes from
 * `model_info.litellm_provider`, else `litellm_params.custom_llm_provider`, else the
 * prefix of `litellm_params.model` (`openai/gpt-4o` → `openai`). Every `supports_*: true`
 * flag becomes a capability (`supports_vision` → `vision`), plus one for the mode
 * (`embedding` → `embeddings`).
 */
export function modelFromLiteLLM(entry: LiteLLMModelInfo): ModelSyncInput {
  const info = entry.model_info ?? {};
  const params = entry.litellm_params ?? {};
  const upstream = text(params.model);
  const slash = upstream ? upstream.indexOf('/') : -1;
  const provider =
    text(info.litellm_provider) ??
    text(params.custom_llm_provider) ??
    (upstream && slash > 0 ? upstream.slice(0, slash) : undefined) ??
    'unknown';
  const mode = text(info.mode) ?? 'chat';

  const capabilities = new Set<string>();
  for (const [field, value] of Object.entries(info)) {
    const match = /^supports_([a-z0-9_]+)$/.exec(field);
    if (match && value === true) {
      capabilities.add(match[1]);
    }
  }
  if (MODE_CAPABILITIES[mode]) {
    capabilities.add(MODE_CAPABILITIES[mode]);
  }

  return {
    id: entry.model_name,
    provider,
    description: text(info.description) ?? null,
    contextLength: num(info.max_input_tokens) ?? num(info.max_tokens),
    inputCostPerToken: num(info.input_cost_per_token),
    outputCostPerToken: num(info.output_cost_per_token),
    capabilities: [...capabilities].sort(),
    mode,
  };
}

const STATUS_RANK: Record<SubscriptionStatus, number> = {
  active: 0,
  pending: 1,
  denied: 2,
  expired: 3,
  cancelled: 4,
};

/**
 * Picks, per model, the subscription that speaks for the caller: their own when they
 * have one, else the most useful one among their groups' (active before pending ...).
 */
export function subscriptionsByModel(
  userRef: string | undefined,
  subscriptions: Subscription[],
): Map<string, ModelSubscriptionSummary> {
  const best = new Map<string, Subscription>();
  const score = (s: Subscription) =>
    (s.subjectRef === userRef ? 0 : 10) + STATUS_RANK[s.status];
  for (const s of subscriptions) {
    const current = best.get(s.modelId);
    if (!current || score(s) < score(current)) {
      best.set(s.modelId, s);
    }
  }
  return new Map(
    [...best].map(([modelId, s]) => [
      modelId,
      {
        id: s.id,
        subjectRef: s.subjectRef,
        status: s.status,
        expiresAt: s.expiresAt,
      },
    ]),
  );
}

/**
 * The model catalogue: synced from LiteLLM into the database (reads never call LiteLLM,
 * so they keep working while it is down), described and restricted by admins.
 */
export class ModelService {
  constructor(
    private readonly deps: {
      models: ModelStore;
      subscriptions: SubscriptionStore;
      litellm: LiteLLMApi;
      audit: AuditService;
      logger: LoggerService;
      /** Who uses a model, and telling them when it is deprecated or removed. */
      impact?: ModelImpactService;
      /** Moves the unapproved grants of a model that became restricted to pending. */
      reapproval?: Pick<SubscriptionReapproval, 'requireReapproval'>;
    },
  ) {}

  /**
   * Syncs and tells the users of every model that stopped being served. LiteLLM answering
   * no model at all while models are available is far more often a fault (a restart, a
   * config or database problem) than a real removal, and taking every model away would
   * notify every owner and narrow every key: such an answer is refused with a warning and
   * the last good list stays, unless an admin confirmed it (`confirmEmpty`).
   */
  async #sync(
    options: { confirmEmpty?: boolean } = {},
  ): Promise<ModelSyncResult> {
    const { models, impact } = this.deps;
    const fetched = await this.#fetchFromLiteLLM();
    const available = await models.list({ status: 'available' });
    if (fetched.length === 0 && available.length > 0 && !options.confirmEmpty) {
      // The scheduled sync logs this as a warning; an admin gets it as the 409.
      throw new ConflictError(
        `LiteLLM answered an empty model list; keeping the ${available.length} models of the last good sync. If every model was really removed, an admin confirms it with POST /admin/models/sync?confirmEmpty=true`,
      );
    }
    const before = impact ? new Set(available.map(m => m.id)) : undefined;
    const result = await models.upsertMany(fetched);
    if (impact && before && result.unavailable > 0) {
      const after = new Set(
        (await models.list({ status: 'available' })).map(m => m.id),
      );
      for (const id of before) {
        if (!after.has(id)) {
          const model = await models.get(id);
          if (model) await impact.notifyOwners(model, 'removed');
        }
      }
    }
    return result;
  }

  /** Reads LiteLLM's models; LiteLLM errors are converted (down → 503). */
  async #fetchFromLiteLLM(): Promise<ModelSyncInput[]> {
    let entries: LiteLLMModelInfo[];
    try {
      entries = await this.deps.litellm.getModelInfo();
    } catch (error) {
      throw toBackstageError(error);
    }
    // Several deployments may share one model name (load balancing): the first wins.
    const byName = new Map<string, ModelSyncInput>();
    for (const entry of entries) {
      if (typeof entry.model_name !== 'string' || !entry.model_name.trim()) {
        continue;
      }
      const model = modelFromLiteLLM(entry);
      if (model.id.length > 255 || model.id !== model.id.trim()) {
        this.deps.logger.warn(
          'Skipping a LiteLLM model with an unusable name',
          {
            model: model.id.slice(0, 80),
          },
        );
        continue;
      }
      if (!byName.has(model.id)) {
        byName.set(model.id, model);
      }
    }
    return [...byName.values()];
  }

  /** Syncs now on behalf of a user (`POST /admin/models/sync`). */
  async syncNow(
    caller: Caller,
    options: { confirmEmpty?: boolean } = {},
  ): Promise<ModelSyncResult> {
    return this.deps.audit.trackCaller(
      caller,
      {
        action: 'model.sync',
        targetType: 'model',
        details: options.confirmEmpty ? { confirmEmpty: true } : undefined,
      },
      async () => this.#sync(options),
      result => ({ details: { ...result } }),
    );
  }

  /**
   * The scheduled sync: never throws (a LiteLLM outage is logged and the next run tries
   * again). Runs that change something are written to the audit trail.
   */
  async syncScheduled(): Promise<ModelSyncResult | undefined> {
    const { logger, audit } = this.deps;
    let result: ModelSyncResult;
    try {
      result = await this.#sync();
    } catch (error) {
      logger.warn(
        `LiteMaaS model sync failed, serving the last synced models: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return undefined;
    }
    if (result.added + result.updated + result.unavailable > 0) {
      logger.info('LiteMaaS model sync applied changes', { ...result });
      await audit.track(
        {
          actorRef: LITEMAAS_SYSTEM_ACTOR,
          action: 'model.sync',
          targetType: 'model',
          severity: 'low',
        },
        async () => result,
        r => ({ details: { ...r } }),
      );
    }
    return result;
  }

  async list(
    caller: Caller | undefined,
    query: ListModelsQuery,
  ): Promise<{ items: ModelWithSubscription[]; total: number }> {
    const [models, subscriptions] = await Promise.all([
      this.deps.models.list(query),
      caller
        ? this.deps.subscriptions.listForSubjects(caller.ownershipRefs)
        : [],
    ]);
    const mine = subscriptionsByModel(caller?.userRef, subscriptions);
    const items = models.map(model => ({
      ...model,
      subscription: mine.get(model.id) ?? null,
    }));
    return { items, total: items.length };
  }

  async get(
    caller: Caller | undefined,
    id: string,
  ): Promise<ModelWithSubscription & { consumers: ModelConsumer[] }> {
    const model = await this.deps.models.get(id);
    if (!model) {
      throw new NotFoundError(`Model '${id}' not found`);
    }
    const subscriptions = caller
      ? await this.deps.subscriptions.listForSubjects(caller.ownershipRefs)
      : [];
    const mine = subscriptionsByModel(
      caller?.userRef,
      subscriptions.filter(s => s.modelId === id),
    );
    return {
      ...model,
      subscription: mine.get(id) ?? null,
      consumers: await this.#consumers(id),
    };
  }

  /** The catalog entities that declare the model; empty when the catalog does not answer. */
  async #consumers(id: string): Promise<ModelConsumer[]> {
    if (!this.deps.impact) return [];
    try {
      return await this.deps.impact.consumers(id);
    } catch (error) {
      this.deps.logger.warn(
        `Could not read the users of model ${id} from the catalog: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return [];
    }
  }

  /** Admin change of the fields the sync never overwrites. */
  async update(
    caller: Caller,
    id: string,
    patch: UpdateModelRequest,
  ): Promise<Model> {
    return this.deps.audit.trackCaller(
      caller,
      {
        action: 'model.update',
        targetType: 'model',
        targetId: id,
        details: { ...patch },
      },
      async () => {
        if (patch.replacementModelId) {
          if (patch.replacementModelId === id) {
            throw new InputError('A model cannot replace itself');
          }
          if (!(await this.deps.models.get(patch.replacementModelId))) {
            throw new InputError(
              `Replacement model '${patch.replacementModelId}' is unknown`,
            );
          }
        }
        const { keepExistingGrants, ...fields } = patch;
        const before = await this.deps.models.get(id);
        const updated = await this.deps.models.update(id, fields);
        if (
          updated.restricted &&
          before &&
          !before.restricted &&
          !keepExistingGrants &&
          this.deps.reapproval
        ) {
          try {
            await this.deps.reapproval.requireReapproval(
              updated,
              caller.userRef,
            );
          } catch (error) {
            await this.deps.models.update(id, { restricted: false });
            throw error;
          }
        }
        if (updated.deprecated && !before?.deprecated) {
          await this.deps.impact?.notifyOwners(updated, 'deprecated');
        }
        return updated;
      },
    );
  }
}
