import { ResponseError } from '@backstage/errors';
import { z } from 'zod/v3';
import { LITEMAAS_PLUGIN_ID } from '../constants';
import { HealthResponse, healthResponseSchema } from '../health';
import { ListModelsQuery, Model, modelSchema } from '../models';
import {
  CreateKeyRequest,
  createdApiKeySchema,
  CreatedApiKey,
  RevealedApiKey,
  revealedApiKeySchema,
  RevealedSecret,
  revealedSecretSchema,
} from '../keys';
import {
  CreateSubscriptionRequest,
  Subscription,
  subscriptionSchema,
  SUBSCRIPTION_STATUSES,
  SubscriptionStatus,
} from '../subscriptions';

/**
 * Per-call options of {@link LiteMaaSClient}: `token` is sent as a Bearer token (a
 * backend module acting on behalf of a user, e.g. a scaffolder action); without it the
 * client's `fetchApi` decides.
 *
 * @public
 */
export interface LiteMaaSRequestOptions {
  token?: string;
}

/**
 * The subset of Backstage's DiscoveryApi / DiscoveryService the client needs.
 *
 * @public
 */
export interface LiteMaaSDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/**
 * One item of `GET /models`: a model and the caller's subscription to it (their own, else
 * one of their groups'), `null` when there is none (always `null` for a service caller).
 *
 * @public
 */
export type ModelListItem = Model & {
  subscription: {
    id: string;
    status: SubscriptionStatus;
    expiresAt: string | null;
  } | null;
};

/**
 * A component or system that declares a model in its `litemaas.io/models` annotation.
 *
 * @public
 */
export interface ModelConsumer {
  entityRef: string;
  title?: string;
  ownerRef?: string;
}

/**
 * Answer of `GET /models/:id`.
 *
 * @public
 */
export type ModelDetails = ModelListItem & { consumers: ModelConsumer[] };

/**
 * Answer of `GET /models`.
 *
 * @public
 */
export interface ListModelsResponse {
  items: ModelListItem[];
  total: number;
}

const listModelsResponseSchema = z.object({
  items: z.array(
    modelSchema.extend({
      subscription: z
        .object({
          id: z.string(),
          status: z.enum(SUBSCRIPTION_STATUSES),
          expiresAt: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
  total: z.number(),
});

const modelDetailsSchema = listModelsResponseSchema.shape.items.element.extend({
  consumers: z
    .array(
      z.object({
        entityRef: z.string(),
        title: z.string().optional(),
        ownerRef: z.string().optional(),
      }),
    )
    .default([]),
});

/**
 * Options of {@link LiteMaaSClient}. `fetchApi` is the browser's FetchApi (which adds the
 * user's Backstage token) or, on the backend, a fetch that adds a service token.
 *
 * @public
 */
export interface LiteMaaSClientOptions {
  discoveryApi: LiteMaaSDiscovery;
  fetchApi?: { fetch: typeof fetch };
}

/**
 * An isomorphic client for the LiteMaaS backend REST API (`/api/litemaas`), used by the
 * frontend plugin and the catalog and scaffolder modules.
 *
 * @public
 */
export class LiteMaaSClient {
  readonly #discoveryApi: LiteMaaSDiscovery;
  readonly #fetch: typeof fetch;

  constructor(options: LiteMaaSClientOptions) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetch = options.fetchApi
      ? options.fetchApi.fetch.bind(options.fetchApi)
      : (input, init) => fetch(input, init);
  }

  /** Reads the backend's health; throws a ResponseError on any non-2xx answer. */
  async getHealth(): Promise<HealthResponse> {
    return healthResponseSchema.parse(await this.#request('/health'));
  }

  /**
   * Lists the models (`GET /models`), optionally filtered; throws a ResponseError on any
   * non-2xx answer and rejects an answer that does not match the schema.
   */
  async listModels(query: ListModelsQuery = {}): Promise<ListModelsResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    return listModelsResponseSchema.parse(
      await this.#request(`/models${search ? `?${search}` : ''}`),
    );
  }

  /**
   * One model with the caller's subscription and the catalog entities that declare it
   * (`GET /models/:id`); ids may contain `/`.
   */
  async getModel(id: string): Promise<ModelDetails> {
    return modelDetailsSchema.parse(
      await this.#request(`/models/${encodeURIComponent(id)}`),
    );
  }

  /**
   * Creates an API key (`POST /keys`). With `deliver: 'reveal'` the answer carries a
   * one-time reveal link and no secret; otherwise it carries the secret, once.
   */
  async createKey(
    request: CreateKeyRequest & { deliver: 'reveal' },
    options?: LiteMaaSRequestOptions,
  ): Promise<RevealedApiKey>;
  async createKey(
    request: CreateKeyRequest,
    options?: LiteMaaSRequestOptions,
  ): Promise<CreatedApiKey>;
  async createKey(
    request: CreateKeyRequest,
    options?: LiteMaaSRequestOptions,
  ): Promise<CreatedApiKey | RevealedApiKey> {
    const body = await this.#request('/keys', {
      method: 'POST',
      headers: this.#headers(options, true),
      body: JSON.stringify(request),
    });
    return request.deliver === 'reveal'
      ? revealedApiKeySchema.parse(body)
      : createdApiKeySchema.parse(body);
  }

  /**
   * Subscribes the caller, or a group they belong to (`subject`), to a model
   * (`POST /subscriptions`). Idempotent: an existing subscription comes back as it is
   * (`active`, or `pending` for a restricted model awaiting approval).
   */
  async createSubscription(
    request: CreateSubscriptionRequest,
    options?: LiteMaaSRequestOptions,
  ): Promise<Subscription> {
    return subscriptionSchema.parse(
      await this.#request('/subscriptions', {
        method: 'POST',
        headers: this.#headers(options, true),
        body: JSON.stringify(request),
      }),
    );
  }

  /** Reads a one-time reveal (`GET /reveal/:token`); it works once. */
  async revealSecret(
    token: string,
    options?: LiteMaaSRequestOptions,
  ): Promise<RevealedSecret> {
    return revealedSecretSchema.parse(
      await this.#request(`/reveal/${encodeURIComponent(token)}`, {
        headers: this.#headers(options, false),
      }),
    );
  }

  #headers(
    options: LiteMaaSRequestOptions | undefined,
    json: boolean,
  ): Record<string, string> {
    return {
      ...(json ? { 'Content-Type': 'application/json' } : {}),
      ...(options?.token ? { Authorization: `Bearer ${options.token}` } : {}),
    };
  }

  async #request(path: string, init?: RequestInit): Promise<unknown> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(LITEMAAS_PLUGIN_ID);
    const response = await this.#fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
