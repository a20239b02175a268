import { readFileSync } from 'node:fs';
import { sha256Hex } from '../util';
import type { EmulatorModel } from '../types';
import defaultModelsJson from './default-models.json';

/** The default model list (about a dozen models across openai, anthropic, bedrock, vLLM, ...). */
export const defaultModels: EmulatorModel[] =
  defaultModelsJson as unknown as EmulatorModel[];

/**
 * The optional fields of LiteLLM's `ModelInfoBase` that `get_model_info` always returns,
 * `None` when the model map has no value (litellm/utils.py `_get_model_info_helper`,
 * litellm/types/utils.py `ModelInfoBase`). `/model/info` merges them under the deployment's
 * own `model_info`.
 */
export const MODEL_INFO_OPTIONAL_FIELDS: readonly string[] = [
  'input_cost_per_token_flex',
  'input_cost_per_token_priority',
  'cache_creation_input_token_cost',
  'cache_creation_input_token_cost_above_200k_tokens',
  'cache_read_input_token_cost',
  'cache_read_input_token_cost_above_200k_tokens',
  'cache_read_input_token_cost_flex',
  'cache_read_input_token_cost_priority',
  'cache_creation_input_token_cost_above_1hr',
  'input_cost_per_character',
  'input_cost_per_token_above_128k_tokens',
  'input_cost_per_token_above_200k_tokens',
  'input_cost_per_query',
  'input_cost_per_second',
  'input_cost_per_audio_token',
  'input_cost_per_image',
  'input_cost_per_audio_per_second',
  'input_cost_per_video_per_second',
  'input_cost_per_token_batches',
  'output_cost_per_token_batches',
  'output_cost_per_token_flex',
  'output_cost_per_token_priority',
  'output_cost_per_audio_token',
  'output_cost_per_character',
  'output_cost_per_reasoning_token',
  'output_cost_per_token_above_128k_tokens',
  'output_cost_per_character_above_128k_tokens',
  'output_cost_per_token_above_200k_tokens',
  'output_cost_per_second',
  'output_cost_per_image',
  'output_vector_size',
  'citation_cost_per_token',
  'tiered_pricing',
  'supports_system_messages',
  'supports_response_schema',
  'supports_vision',
  'supports_function_calling',
  'supports_tool_choice',
  'supports_assistant_prefill',
  'supports_prompt_caching',
  'supports_audio_input',
  'supports_audio_output',
  'supports_pdf_input',
  'supports_embedding_image_input',
  'supports_native_streaming',
  'supports_web_search',
  'supports_url_context',
  'supports_reasoning',
  'supports_computer_use',
  'search_context_cost_per_query',
  'tpm',
  'rpm',
];

/** A model with everything the emulator needs resolved. */
export interface ResolvedModel {
  name: string;
  id: string;
  provider: string;
  mode: string;
  inputCost: number;
  outputCost: number;
  maxInputTokens: number | null;
  maxOutputTokens: number | null;
  vectorSize: number;
  mockResponse: string | undefined;
  /** The `/model/info` entry. */
  info: EmulatorModel;
}

/** Reads a JSON model file: an array of models, or `{"model_list": [...]}` / `{"data": [...]}`. */
export function loadModelsFile(file: string): EmulatorModel[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(parsed)
    ? parsed
    : parsed?.model_list ?? parsed?.data ?? undefined;
  if (!Array.isArray(list)) {
    throw new Error(
      `Model file ${file} must hold an array of models or {"model_list": [...]}`,
    );
  }
  return list as EmulatorModel[];
}

export function resolveModels(models: EmulatorModel[]): ResolvedModel[] {
  return models.map((raw, i) => {
    if (!raw || typeof raw.model_name !== 'string') {
      throw new Error(`Model #${i} has no model_name`);
    }
    const litellmParams = {
      ...(raw.litellm_params ?? { model: raw.model_name }),
    };
    const upstream = String(litellmParams.model ?? raw.model_name);
    const slash = upstream.indexOf('/');
    const provider =
      (raw.model_info?.litellm_provider as string | undefined) ??
      (slash > 0 ? upstream.slice(0, slash) : 'openai');
    const id =
      (raw.model_info?.id as string | undefined) ??
      sha256Hex(`${raw.model_name}|${JSON.stringify(litellmParams)}`);
    const mode = (raw.model_info?.mode as string | undefined) ?? 'chat';
    // api_key is stripped in /model/info, api_base is kept (fact sheet §1).
    const { api_key: _apiKey, ...publicParams } = litellmParams as Record<
      string,
      unknown
    >;
    const modelInfo = {
      ...Object.fromEntries(MODEL_INFO_OPTIONAL_FIELDS.map(f => [f, null])),
      supported_openai_params: null,
      id,
      db_model: false,
      key: slash > 0 ? upstream.slice(slash + 1) : upstream,
      mode,
      litellm_provider: provider,
      max_tokens: null,
      max_input_tokens: null,
      max_output_tokens: null,
      input_cost_per_token: 0,
      output_cost_per_token: 0,
      ...raw.model_info,
    };
    modelInfo.id = id;
    const info: EmulatorModel = {
      model_name: raw.model_name,
      litellm_params: publicParams as EmulatorModel['litellm_params'],
      model_info: modelInfo,
    };
    return {
      name: raw.model_name,
      id,
      provider,
      mode,
      inputCost: Number(modelInfo.input_cost_per_token ?? 0) || 0,
      outputCost: Number(modelInfo.output_cost_per_token ?? 0) || 0,
      maxInputTokens: (modelInfo.max_input_tokens as number | null) ?? null,
      maxOutputTokens:
        (modelInfo.max_output_tokens as number | null) ??
        (modelInfo.max_tokens as number | null) ??
        null,
      vectorSize: Number(modelInfo.output_vector_size ?? 1536) || 1536,
      mockResponse: litellmParams.mock_response as string | undefined,
      info,
    };
  });
}
