import { ResponseError } from '@backstage/errors';
import {
  LITEMAAS_PLUGIN_ID,
  LiteMaaSClient,
  LiteMaaSDiscovery,
} from '@litemaas/backstage-plugin-litemaas-common';
import type { LiteMaaSApi } from './types';

/**
 * The browser implementation of {@link LiteMaaSApi}. Reads go through the shared
 * `LiteMaaSClient` of litemaas-common where it covers a route; the other routes are
 * requested here, in one place, until the client generated from the backend's OpenAPI
 * contract covers them all. Every non-2xx answer throws a `ResponseError` carrying the
 * backend's message.
 *
 * @public
 */
export class LiteMaaSApiClient implements LiteMaaSApi {
  readonly #discoveryApi: LiteMaaSDiscovery;
  readonly #fetchApi: { fetch: typeof fetch };
  readonly #shared: LiteMaaSClient;

  constructor(options: {
    discoveryApi: LiteMaaSDiscovery;
    fetchApi: { fetch: typeof fetch };
  }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
    this.#shared = new LiteMaaSClient(options);
  }

  getHealth: LiteMaaSApi['getHealth'] = () => this.#shared.getHealth();
  getConfig: LiteMaaSApi['getConfig'] = () => this.#json('/config');

  listModels: LiteMaaSApi['listModels'] = query =>
    this.#shared.listModels(query);
  getModel: LiteMaaSApi['getModel'] = id => this.#shared.getModel(id);

  listSubscriptions: LiteMaaSApi['listSubscriptions'] = () =>
    this.#json('/subscriptions');
  createSubscription: LiteMaaSApi['createSubscription'] = request =>
    this.#shared.createSubscription(request);
  cancelSubscription: LiteMaaSApi['cancelSubscription'] = id =>
    this.#json(`/subscriptions/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });

  listKeys: LiteMaaSApi['listKeys'] = query => {
    const params = new URLSearchParams();
    if (query?.status?.length) params.set('status', query.status.join(','));
    if (query?.include) params.set('include', query.include);
    const search = params.toString();
    return this.#json(`/keys${search ? `?${search}` : ''}`);
  };
  getKey: LiteMaaSApi['getKey'] = id =>
    this.#json(`/keys/${encodeURIComponent(id)}`);
  createKey: LiteMaaSApi['createKey'] = request =>
    this.#json('/keys', { method: 'POST', body: request });
  updateKey: LiteMaaSApi['updateKey'] = (id, patch) =>
    this.#json(`/keys/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: patch,
    });
  rotateKey: LiteMaaSApi['rotateKey'] = (id, request) =>
    this.#json(`/keys/${encodeURIComponent(id)}/rotate`, {
      method: 'POST',
      body: request,
    });
  revokeKey: LiteMaaSApi['revokeKey'] = id =>
    this.#json(`/keys/${encodeURIComponent(id)}`, { method: 'DELETE' });

  listTeams: LiteMaaSApi['listTeams'] = () => this.#json('/teams');
  getTeam: LiteMaaSApi['getTeam'] = ref =>
    this.#json(`/teams/${encodeURIComponent(ref)}`);

  getUsage: LiteMaaSApi['getUsage'] = request => {
    const query = new URLSearchParams(
      Object.entries(request).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    return this.#json(`/usage?${query}`);
  };

  revealSecret: LiteMaaSApi['revealSecret'] = token =>
    this.#shared.revealSecret(token);

  async #json<T>(
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(LITEMAAS_PLUGIN_ID);
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      ...(init.body !== undefined
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(init.body),
          }
        : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
