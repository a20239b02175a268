import { ResponseError } from '@backstage/errors';
import { LITEMAAS_PLUGIN_ID } from '../constants';

/**
 * Per-call options of {@link LiteMaaSClient}: `token` is sent as a Bearer token (a
 * backend module acting on behalf of a user); without it the client's `fetchApi` decides.
 * `signal` aborts the call. `idempotencyKey` is sent as the `Idempotency-Key` header
 * (`createKey` honours it: a retry returns the first call's key instead of a new one).
 *
 * @public
 */
export interface LiteMaaSRequestOptions {
  token?: string;
  signal?: AbortSignal;
  idempotencyKey?: string;
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
 * Options of {@link LiteMaaSClient}. `fetchApi` is the browser's FetchApi (which adds the
 * user's Backstage token) or, on the backend, a fetch that adds a service token; without
 * it the global `fetch` is used.
 *
 * @public
 */
export interface LiteMaaSClientOptions {
  discoveryApi: LiteMaaSDiscovery;
  fetchApi?: { fetch: typeof fetch };
}

/** One call of the generated client. */
export interface LiteMaaSCall {
  method: string;
  /** Path under the plugin's base URL, parameters already encoded. */
  path: string;
  query?: object;
  body?: unknown;
  accept?: string;
}

function queryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) {
      params.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Sends the generated client's calls: resolves the backend through discovery, encodes
 * the query, sends JSON bodies and throws a `ResponseError` on any non-2xx answer.
 */
export class LiteMaaSFetcher {
  readonly #discoveryApi: LiteMaaSDiscovery;
  readonly #fetch: typeof fetch;

  constructor(options: LiteMaaSClientOptions) {
    this.#discoveryApi = options.discoveryApi;
    const fetchApi = options.fetchApi;
    this.#fetch = fetchApi
      ? (input, init) => fetchApi.fetch(input, init)
      : (input, init) => fetch(input, init);
  }

  async json(call: LiteMaaSCall, options?: LiteMaaSRequestOptions) {
    return (await this.#send(call, options)).json();
  }

  async text(call: LiteMaaSCall, options?: LiteMaaSRequestOptions) {
    return (await this.#send(call, options)).text();
  }

  async #send(
    call: LiteMaaSCall,
    options: LiteMaaSRequestOptions | undefined,
  ): Promise<Response> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(LITEMAAS_PLUGIN_ID);
    const headers: Record<string, string> = {
      Accept: call.accept ?? 'application/json',
    };
    if (call.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options?.token) {
      headers.Authorization = `Bearer ${options.token}`;
    }
    if (options?.idempotencyKey) {
      headers['Idempotency-Key'] = options.idempotencyKey;
    }
    const response = await this.#fetch(
      `${baseUrl}${call.path}${queryString(call.query)}`,
      {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: options?.signal,
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
