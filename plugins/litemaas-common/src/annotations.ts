/**
 * Annotations of the LiteMaaS catalog entities, shared by the catalog module that writes
 * them and the frontend that reads them. Model entities carry all of the `litemaas.io/*`
 * model annotations; components and systems declare the models they use with
 * {@link ANNOTATION_LITEMAAS_MODELS}. Group (team) annotations are
 * `LITEMAAS_TEAM_ANNOTATIONS` (teams.ts).
 */

/** `spec.type` of model `Resource` entities (the RHDH model catalog's value). @public */
export const AI_MODEL_RESOURCE_TYPE = 'ai-model';

/** The LiteLLM model name, exactly as the proxy and the LiteMaaS API spell it. @public */
export const ANNOTATION_LITEMAAS_MODEL_ID = 'litemaas.io/model-id';
/** LiteLLM provider of the model (`openai`, `bedrock`, `hosted_vllm`, ...). @public */
export const ANNOTATION_LITEMAAS_PROVIDER = 'litemaas.io/provider';
/** LiteLLM mode (`chat`, `embedding`, `completion`, ...). @public */
export const ANNOTATION_LITEMAAS_MODE = 'litemaas.io/mode';
/** Context window in tokens (absent when unknown). @public */
export const ANNOTATION_LITEMAAS_CONTEXT_LENGTH = 'litemaas.io/context-length';
/** Price of one million input tokens, in {@link ANNOTATION_LITEMAAS_CURRENCY}. @public */
export const ANNOTATION_LITEMAAS_INPUT_PRICE =
  'litemaas.io/input-price-per-million-tokens';
/** Price of one million output tokens, in {@link ANNOTATION_LITEMAAS_CURRENCY}. @public */
export const ANNOTATION_LITEMAAS_OUTPUT_PRICE =
  'litemaas.io/output-price-per-million-tokens';
/** Currency of the prices (`USD` unless configured). @public */
export const ANNOTATION_LITEMAAS_CURRENCY = 'litemaas.io/currency';
/** The model's capabilities as LiteMaaS names them, comma separated. @public */
export const ANNOTATION_LITEMAAS_CAPABILITIES = 'litemaas.io/capabilities';
/** `'true'` when subscribing needs an approval, else `'false'`. @public */
export const ANNOTATION_LITEMAAS_RESTRICTED = 'litemaas.io/restricted';
/** `'true'` on deprecated models (absent otherwise). @public */
export const ANNOTATION_LITEMAAS_DEPRECATED = 'litemaas.io/deprecated';
/** Date the deprecated model goes away (ISO 8601), when set. @public */
export const ANNOTATION_LITEMAAS_DEPRECATION_DATE =
  'litemaas.io/deprecation-date';
/** Model id of the replacement of a deprecated model, when set. @public */
export const ANNOTATION_LITEMAAS_REPLACEMENT_MODEL_ID =
  'litemaas.io/replacement-model-id';
/** Entity ref of the replacement's `Resource` entity, when set. @public */
export const ANNOTATION_LITEMAAS_REPLACEMENT_ENTITY_REF =
  'litemaas.io/replacement-entity-ref';
/** The OpenAI-compatible base URL, on the gateway `Component` and `API`. @public */
export const ANNOTATION_LITEMAAS_BASE_URL = 'litemaas.io/base-url';

/**
 * Key metadata naming the `Component` a key was minted for (the scaffolder action sets
 * it); the component's LLM access card lists such keys.
 *
 * @public
 */
export const KEY_METADATA_COMPONENT = 'backstage.component';

/**
 * On a `Component` or `System`: the model ids it uses, comma separated
 * (`litemaas.io/models: gpt-4o, ibm-granite/granite-3.1-8b-instruct`).
 *
 * @public
 */
export const ANNOTATION_LITEMAAS_MODELS = 'litemaas.io/models';

/**
 * The model ids of a {@link ANNOTATION_LITEMAAS_MODELS} annotation: comma separated,
 * trimmed, without empty entries, duplicates or ids LiteLLM cannot have (longer than 255
 * characters).
 *
 * @public
 */
export function parseModelsAnnotation(value: string | undefined): string[] {
  if (!value) return [];
  const ids = new Set<string>();
  for (const part of value.split(',')) {
    const id = part.trim();
    if (id && id.length <= 255) ids.add(id);
  }
  return [...ids];
}
