import type {
  ListModelsResponse,
  Model,
} from '@litemaas/backstage-plugin-litemaas-common';
import { defaultModels } from '@litemaas/litellm-emulator';
import type { LiteLLMModelInfo } from '../litellm/types';
import { modelFromLiteLLM } from '../services/ModelService';

const SYNCED_AT = '2026-01-01T00:00:00.000Z';

/**
 * A `Model` as the LiteMaaS backend serves it after syncing this LiteLLM `/model/info`
 * entry: the backend's own mapping (provider, capabilities, context length, prices) with
 * the fields an admin sets left at their defaults, unless overridden.
 *
 * @public
 */
export function modelFromLiteLLMEntry(
  entry: LiteLLMModelInfo,
  overrides: Partial<Model> = {},
): Model {
  const synced = modelFromLiteLLM(entry);
  return {
    ...synced,
    description: synced.description ?? null,
    contextLength: synced.contextLength ?? null,
    inputCostPerToken: synced.inputCostPerToken ?? null,
    outputCostPerToken: synced.outputCostPerToken ?? null,
    restricted: false,
    status: 'available',
    deprecated: false,
    replacementModelId: null,
    deprecationDate: null,
    ownerGroupRef: null,
    lastSyncedAt: SYNCED_AT,
    createdAt: SYNCED_AT,
    updatedAt: SYNCED_AT,
    ...overrides,
  };
}

/** The LiteLLM emulator's default models as the LiteMaaS backend serves them. @public */
export function emulatorDefaultModels(): Model[] {
  return defaultModels.map(entry =>
    modelFromLiteLLMEntry(entry as unknown as LiteLLMModelInfo),
  );
}

/** A chat model by id, every other field realistic. @public */
export function aModel(id: string, overrides: Partial<Model> = {}): Model {
  return modelFromLiteLLMEntry(
    {
      model_name: id,
      litellm_params: { model: `openai/${id}` },
      model_info: {
        mode: 'chat',
        litellm_provider: 'openai',
        max_input_tokens: 8192,
        input_cost_per_token: 1e-6,
        output_cost_per_token: 2e-6,
      },
    },
    overrides,
  );
}

/** The exact body of `GET /api/litemaas/models` for a service caller. @public */
export function modelsResponse(models: Model[]): ListModelsResponse {
  return {
    items: models.map(m => ({ ...m, subscription: null })),
    total: models.length,
  };
}
