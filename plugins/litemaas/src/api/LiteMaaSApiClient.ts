import {
  LiteMaaSClient,
  LiteMaaSDiscovery,
} from '@litemaas/backstage-plugin-litemaas-common';
import type { LiteMaaSApi } from './types';

/**
 * The browser implementation of {@link LiteMaaSApi}: every call goes through the
 * `LiteMaaSClient` generated from the backend's OpenAPI contract (litemaas-common), so
 * the wire is described in one place. Every non-2xx answer throws a `ResponseError`
 * carrying the backend's message.
 *
 * @public
 */
export class LiteMaaSApiClient implements LiteMaaSApi {
  readonly #client: LiteMaaSClient;

  constructor(options: {
    discoveryApi: LiteMaaSDiscovery;
    fetchApi: { fetch: typeof fetch };
  }) {
    this.#client = new LiteMaaSClient(options);
  }

  getHealth: LiteMaaSApi['getHealth'] = () => this.#client.getHealth();
  getConfig: LiteMaaSApi['getConfig'] = () => this.#client.getConfig();

  listModels: LiteMaaSApi['listModels'] = query =>
    this.#client.listModels(query);
  getModel: LiteMaaSApi['getModel'] = id => this.#client.getModel(id);

  listSubscriptions: LiteMaaSApi['listSubscriptions'] = () =>
    this.#client.listSubscriptions();
  createSubscription: LiteMaaSApi['createSubscription'] = request =>
    this.#client.createSubscription(request);
  cancelSubscription: LiteMaaSApi['cancelSubscription'] = id =>
    this.#client.cancelSubscription(id);
  listSubscriptionsForDecision: LiteMaaSApi['listSubscriptionsForDecision'] =
    query => this.#client.listSubscriptionsForDecision(query);
  approveSubscription: LiteMaaSApi['approveSubscription'] = (id, request) =>
    this.#client.approveSubscription(id, request);
  denySubscription: LiteMaaSApi['denySubscription'] = (id, request) =>
    this.#client.denySubscription(id, request);

  listKeys: LiteMaaSApi['listKeys'] = query =>
    this.#client.listKeys(
      query && {
        ...(query.status?.length && { status: query.status.join(',') }),
        ...(query.include && { include: query.include }),
      },
    );
  getKey: LiteMaaSApi['getKey'] = id => this.#client.getKey(id);
  createKey: LiteMaaSApi['createKey'] = async request => {
    // Without `deliver: reveal` the answer carries the secret; the UI never asks for a
    // reveal link (that is for templates).
    const created = await this.#client.createKey(request);
    if (!('secret' in created)) {
      throw new Error('The backend answered a key creation without its secret');
    }
    return created;
  };
  updateKey: LiteMaaSApi['updateKey'] = (id, patch) =>
    this.#client.updateKey(id, patch);
  rotateKey: LiteMaaSApi['rotateKey'] = (id, request) =>
    this.#client.rotateKey(id, request);
  revokeKey: LiteMaaSApi['revokeKey'] = id => this.#client.revokeKey(id);

  listTeams: LiteMaaSApi['listTeams'] = () => this.#client.listTeams();
  getTeam: LiteMaaSApi['getTeam'] = ref => this.#client.getTeam(ref);

  getUsage: LiteMaaSApi['getUsage'] = request => this.#client.getUsage(request);

  listAuditEntries: LiteMaaSApi['listAuditEntries'] = query =>
    this.#client.listAuditEntries(query);

  revealSecret: LiteMaaSApi['revealSecret'] = token =>
    this.#client.revealSecret(token);
}
