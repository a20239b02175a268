import { ResponseError } from '@backstage/errors';
import { LITEMAAS_PLUGIN_ID } from '../constants';
import { HealthResponse, healthResponseSchema } from '../health';

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

  async #request(path: string, init?: RequestInit): Promise<unknown> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(LITEMAAS_PLUGIN_ID);
    const response = await this.#fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
