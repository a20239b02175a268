/**
 * The shape of every entity the LiteMaaS provider emits, in one place so it can follow
 * the RHDH model catalog (and upstream's `ai-model-server` work) as they evolve.
 *
 * Today it mirrors the RHDH model catalog's v1 shape
 * (`catalog-backend-module-model-catalog`, `ModelCatalogGenerator.ts`):
 * - each model is a `Resource` with `spec.type: ai-model`, a dependency of its model
 *   server;
 * - the LiteLLM proxy is a `Component` with `spec.type: model-server` that
 *   `providesApis` one `API` entity (same name), whose `definition` is a short OpenAPI
 *   document of the OpenAI-compatible endpoints.
 *
 * The model server declares the relation (`spec.dependsOn` on the Component) rather
 * than each model (`spec.dependencyOf`): the catalog re-stitches the source of every
 * relation a processed entity adds, so with the relation on the models the gateway
 * (with all its relations) was stitched again for each of them, and 1,000 models cost
 * the square of that. Declared once on the gateway, it is stitched once per change of
 * the model list.
 */
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ApiEntity,
  ComponentEntity,
  DEFAULT_NAMESPACE,
  Entity,
  EntityLink,
  ResourceEntity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AI_MODEL_RESOURCE_TYPE,
  type Model,
  ANNOTATION_LITEMAAS_BASE_URL,
  ANNOTATION_LITEMAAS_CAPABILITIES,
  ANNOTATION_LITEMAAS_CONTEXT_LENGTH,
  ANNOTATION_LITEMAAS_CURRENCY,
  ANNOTATION_LITEMAAS_DEPRECATED,
  ANNOTATION_LITEMAAS_DEPRECATION_DATE,
  ANNOTATION_LITEMAAS_INPUT_PRICE,
  ANNOTATION_LITEMAAS_MODE,
  ANNOTATION_LITEMAAS_MODEL_ID,
  ANNOTATION_LITEMAAS_OUTPUT_PRICE,
  ANNOTATION_LITEMAAS_PROVIDER,
  ANNOTATION_LITEMAAS_REPLACEMENT_ENTITY_REF,
  ANNOTATION_LITEMAAS_REPLACEMENT_MODEL_ID,
  ANNOTATION_LITEMAAS_RESTRICTED,
} from '@litemaas/backstage-plugin-litemaas-common';
import { modelEntityName, toTag } from './entityName';

/** `spec.type` of the gateway `Component` (the RHDH model catalog's value). @public */
export const MODEL_SERVER_COMPONENT_TYPE = 'model-server';
/** Namespace of every entity the provider emits. */
export const LITEMAAS_ENTITY_NAMESPACE = DEFAULT_NAMESPACE;

/** Everything besides a model that decides how its entities look. */
export interface EntityShapeOptions {
  /** Full entity ref of the default owner, e.g. `group:default/platform-team`. */
  owner: string;
  /** Full entity ref of the system the entities belong to, if any. */
  system?: string;
  /** Lifecycle of the gateway Component and API. */
  lifecycle: string;
  /** Name of the gateway Component and of its API. */
  gatewayName: string;
  /** `spec.type` of the API entity. */
  apiType: string;
  /** The OpenAI-compatible base URL key holders call, if known. */
  apiUrl?: string;
  /** The portal's base URL (`app.baseUrl`), for links to the model pages. */
  appBaseUrl?: string;
  /** Currency of the prices. */
  currency: string;
  /** Value of both managed-by-location annotations. */
  location: string;
}

/** The entity ref of a model's `Resource` entity. @public */
export function modelEntityRef(modelId: string): string {
  return stringifyEntityRef({
    kind: 'Resource',
    namespace: LITEMAAS_ENTITY_NAMESPACE,
    name: modelEntityName(modelId),
  });
}

function gatewayRefs(options: EntityShapeOptions) {
  const ref = (kind: string) =>
    stringifyEntityRef({
      kind,
      namespace: LITEMAAS_ENTITY_NAMESPACE,
      name: options.gatewayName,
    });
  return { component: ref('Component'), api: ref('API') };
}

/** A price per token as a decimal string per million tokens (`2.5e-6` → `2.5`). */
export function pricePerMillionTokens(perToken: number): string {
  return String(Number((perToken * 1_000_000).toPrecision(12)));
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function managedBy(options: EntityShapeOptions): Record<string, string> {
  return {
    [ANNOTATION_LOCATION]: options.location,
    [ANNOTATION_ORIGIN_LOCATION]: options.location,
  };
}

function describe(model: Model): string {
  if (model.description?.trim()) {
    return model.description.trim();
  }
  const mode = model.mode.charAt(0).toUpperCase() + model.mode.slice(1);
  return `${mode} model from ${model.provider}, served through LiteMaaS.`;
}

/**
 * The `Resource` entity of one model. Owner: the model's owner group when it has one
 * (the group that approves subscriptions), else the configured owner.
 */
export function modelToEntity(
  model: Model,
  options: EntityShapeOptions,
): ResourceEntity {
  const annotations: Record<string, string> = {
    ...managedBy(options),
    [ANNOTATION_LITEMAAS_MODEL_ID]: model.id,
    [ANNOTATION_LITEMAAS_PROVIDER]: model.provider,
    [ANNOTATION_LITEMAAS_MODE]: model.mode,
    [ANNOTATION_LITEMAAS_RESTRICTED]: String(model.restricted),
    [ANNOTATION_LITEMAAS_CURRENCY]: options.currency,
  };
  if (model.capabilities.length > 0) {
    annotations[ANNOTATION_LITEMAAS_CAPABILITIES] =
      model.capabilities.join(', ');
  }
  if (model.contextLength !== null) {
    annotations[ANNOTATION_LITEMAAS_CONTEXT_LENGTH] = String(
      model.contextLength,
    );
  }
  if (model.inputCostPerToken !== null) {
    annotations[ANNOTATION_LITEMAAS_INPUT_PRICE] = pricePerMillionTokens(
      model.inputCostPerToken,
    );
  }
  if (model.outputCostPerToken !== null) {
    annotations[ANNOTATION_LITEMAAS_OUTPUT_PRICE] = pricePerMillionTokens(
      model.outputCostPerToken,
    );
  }
  if (model.deprecated) {
    annotations[ANNOTATION_LITEMAAS_DEPRECATED] = 'true';
    if (model.deprecationDate) {
      annotations[ANNOTATION_LITEMAAS_DEPRECATION_DATE] = model.deprecationDate;
    }
    if (model.replacementModelId) {
      annotations[ANNOTATION_LITEMAAS_REPLACEMENT_MODEL_ID] =
        model.replacementModelId;
      annotations[ANNOTATION_LITEMAAS_REPLACEMENT_ENTITY_REF] = modelEntityRef(
        model.replacementModelId,
      );
    }
  }

  const tags = new Set<string>();
  for (const value of [
    model.provider,
    ...model.capabilities,
    ...(model.deprecated ? ['deprecated'] : []),
    ...(model.restricted ? ['restricted'] : []),
  ]) {
    const tag = toTag(value);
    if (tag) tags.add(tag);
  }

  const links: EntityLink[] = [];
  if (options.appBaseUrl) {
    links.push({
      url: `${trimSlash(
        options.appBaseUrl,
      )}/litemaas/models/${encodeURIComponent(model.id)}`,
      title: 'Open in LiteMaaS',
      icon: 'dashboard',
      type: 'litemaas',
    });
  }

  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: modelEntityName(model.id),
      title: model.id,
      description: describe(model),
      annotations,
      tags: [...tags],
      links,
    },
    spec: {
      type: AI_MODEL_RESOURCE_TYPE,
      owner: model.ownerGroupRef ?? options.owner,
      ...(options.system ? { system: options.system } : {}),
    },
  };
}

/** A short OpenAPI 3.0 document of the OpenAI-compatible endpoints LiteLLM serves. */
export function openAiDefinition(apiUrl: string | undefined): string {
  const message = {
    type: 'object',
    required: ['role', 'content'],
    properties: { role: { type: 'string' }, content: { type: 'string' } },
  };
  const jsonBody = (properties: object, required: string[]) => ({
    required: true,
    content: {
      'application/json': {
        schema: { type: 'object', required, properties },
      },
    },
  });
  const ok = (description: string) => ({
    '200': {
      description,
      content: { 'application/json': { schema: { type: 'object' } } },
    },
    '401': { description: 'Missing or invalid API key' },
    '429': { description: 'Rate limit or budget exceeded' },
  });
  const doc = {
    openapi: '3.0.3',
    info: {
      title: 'LiteMaaS OpenAI-compatible API',
      version: '1.0.0',
      description:
        'Models served by the LiteLLM proxy behind LiteMaaS. Get an API key in the ' +
        'LiteMaaS portal and send it as a bearer token.',
    },
    ...(apiUrl ? { servers: [{ url: apiUrl }] } : {}),
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
    },
    paths: {
      '/v1/models': {
        get: {
          summary: 'List the models this key may use',
          responses: ok('Model list'),
        },
      },
      '/v1/chat/completions': {
        post: {
          summary: 'Create a chat completion',
          requestBody: jsonBody(
            {
              model: { type: 'string' },
              messages: { type: 'array', items: message },
              stream: { type: 'boolean' },
              max_tokens: { type: 'integer' },
              temperature: { type: 'number' },
            },
            ['model', 'messages'],
          ),
          responses: ok('Chat completion'),
        },
      },
      '/v1/completions': {
        post: {
          summary: 'Create a text completion',
          requestBody: jsonBody(
            { model: { type: 'string' }, prompt: { type: 'string' } },
            ['model', 'prompt'],
          ),
          responses: ok('Completion'),
        },
      },
      '/v1/embeddings': {
        post: {
          summary: 'Create embeddings',
          requestBody: jsonBody(
            {
              model: { type: 'string' },
              input: {
                oneOf: [
                  { type: 'string' },
                  { type: 'array', items: { type: 'string' } },
                ],
              },
            },
            ['model', 'input'],
          ),
          responses: ok('Embeddings'),
        },
      },
    },
  };
  return JSON.stringify(doc, null, 2);
}

/**
 * The gateway: a `Component` (`model-server`) that provides one `API` (the
 * OpenAI-compatible endpoint) and depends on every model (`modelRefs`), so the server's
 * page lists the models and each model's page its server.
 */
export function gatewayEntities(
  options: EntityShapeOptions,
  modelRefs: string[] = [],
): [ComponentEntity, ApiEntity] {
  const refs = gatewayRefs(options);
  const links: EntityLink[] = [];
  const annotations: Record<string, string> = { ...managedBy(options) };
  if (options.apiUrl) {
    annotations[ANNOTATION_LITEMAAS_BASE_URL] = options.apiUrl;
    links.push({ url: options.apiUrl, title: 'API', icon: 'cloud' });
  }
  if (options.appBaseUrl) {
    links.push({
      url: `${trimSlash(options.appBaseUrl)}/litemaas`,
      title: 'LiteMaaS portal',
      icon: 'dashboard',
    });
  }
  const system = options.system ? { system: options.system } : {};
  const tags = ['litellm', 'llm', 'openai'];

  const component: ComponentEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: options.gatewayName,
      title: 'LiteMaaS LLM gateway',
      description:
        'The LiteLLM proxy behind LiteMaaS: one OpenAI-compatible endpoint for every ' +
        'model the platform offers, with per-key budgets and rate limits.',
      annotations: { ...annotations },
      tags,
      links: [...links],
    },
    spec: {
      type: MODEL_SERVER_COMPONENT_TYPE,
      lifecycle: options.lifecycle,
      owner: options.owner,
      providesApis: [refs.api],
      dependsOn: modelRefs,
      ...system,
    },
  };
  const api: ApiEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: options.gatewayName,
      title: 'LiteMaaS OpenAI-compatible API',
      description:
        'Chat, completion and embedding endpoints of the LiteMaaS models. Keys come ' +
        'from the LiteMaaS portal.',
      annotations: { ...annotations },
      tags,
      links: [...links],
    },
    spec: {
      type: options.apiType,
      lifecycle: options.lifecycle,
      owner: options.owner,
      definition: openAiDefinition(options.apiUrl),
      ...system,
    },
  };
  return [component, api];
}

/**
 * Every entity of one sync: the gateway and one `Resource` per available model.
 * Unavailable models are left out (so they leave the catalog); if two ids ever map to
 * the same name (a hash collision), the first keeps it and the other is reported.
 */
export function buildEntities(
  models: Model[],
  options: EntityShapeOptions,
): { entities: Entity[]; modelIds: string[]; skipped: string[] } {
  const byName = new Map<string, ResourceEntity>();
  const skipped: string[] = [];
  for (const model of models) {
    if (model.status !== 'available') continue;
    const entity = modelToEntity(model, options);
    if (byName.has(entity.metadata.name)) {
      skipped.push(model.id);
      continue;
    }
    byName.set(entity.metadata.name, entity);
  }
  const resources = [...byName.values()];
  return {
    entities: [
      ...gatewayEntities(options, resources.map(stringifyEntityRef)),
      ...resources,
    ],
    modelIds: resources.map(
      e => e.metadata.annotations![ANNOTATION_LITEMAAS_MODEL_ID],
    ),
    skipped,
  };
}
