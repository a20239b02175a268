import {
  ApiEntity,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import type {
  ListModelsResponse,
  Model,
} from '@litemaas/backstage-plugin-litemaas-common';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The LiteLLM emulator's default `/model/info` list (the models a dev portal shows). */
export const EMULATOR_DEFAULT_MODELS_FILE = path.resolve(
  __dirname,
  '../../../../packages/litellm-emulator/src/models/default-models.json',
);

interface LiteLLMModelInfo {
  model_name: string;
  litellm_params?: { model?: string; custom_llm_provider?: string };
  model_info?: Record<string, unknown>;
}

const num = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

/**
 * A `Model` as the LiteMaaS backend builds it from a LiteLLM `/model/info` entry (same
 * rules as the backend's `modelFromLiteLLM`: provider, `supports_*` flags and the mode
 * as capabilities, input context length and prices).
 */
export function modelFromLiteLLM(
  entry: LiteLLMModelInfo,
  overrides: Partial<Model> = {},
): Model {
  const info = entry.model_info ?? {};
  const upstream = entry.litellm_params?.model;
  const provider =
    (info.litellm_provider as string | undefined) ??
    entry.litellm_params?.custom_llm_provider ??
    (upstream?.includes('/') ? upstream.split('/')[0] : 'unknown');
  const mode = (info.mode as string | undefined) ?? 'chat';
  const capabilities = new Set<string>();
  for (const [field, value] of Object.entries(info)) {
    const match = /^supports_([a-z0-9_]+)$/.exec(field);
    if (match && value === true) capabilities.add(match[1]);
  }
  capabilities.add(mode === 'embedding' ? 'embeddings' : mode);
  return {
    id: entry.model_name,
    provider,
    description: (info.description as string | undefined) ?? null,
    contextLength: num(info.max_input_tokens) ?? num(info.max_tokens),
    inputCostPerToken: num(info.input_cost_per_token),
    outputCostPerToken: num(info.output_cost_per_token),
    capabilities: [...capabilities].sort(),
    mode,
    restricted: false,
    status: 'available',
    deprecated: false,
    replacementModelId: null,
    deprecationDate: null,
    ownerGroupRef: null,
    lastSyncedAt: '2026-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The emulator's default models as the LiteMaaS backend serves them. */
export function emulatorDefaultModels(): Model[] {
  const entries = JSON.parse(
    readFileSync(EMULATOR_DEFAULT_MODELS_FILE, 'utf8'),
  ) as LiteLLMModelInfo[];
  return entries.map(entry => modelFromLiteLLM(entry));
}

/** A model by id with every other field realistic. */
export function aModel(id: string, overrides: Partial<Model> = {}): Model {
  return modelFromLiteLLM(
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

/** The exact body of `GET /api/litemaas/models` for a service caller. */
export function modelsResponse(models: Model[]): ListModelsResponse {
  return {
    items: models.map(m => ({ ...m, subscription: null })),
    total: models.length,
  };
}

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const kindValidators = [
  resourceEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
];

/**
 * Validates an entity the way the catalog does before it stores it: the default entity
 * policies (envelope schema, field formats of name, tags, annotations and links, no
 * foreign root fields) and the kind's own schema. Throws on the first problem.
 */
export async function validateLikeTheCatalog(entity: Entity): Promise<void> {
  const result = await policy.enforce(entity);
  if (!result) {
    throw new Error(`entity ${entity.metadata.name} was rejected by policy`);
  }
  for (const validator of kindValidators) {
    if (await validator.check(entity)) return;
  }
  throw new Error(`no validator for kind ${entity.kind}`);
}

export function isApi(entity: Entity): entity is ApiEntity {
  return entity.kind === 'API';
}
