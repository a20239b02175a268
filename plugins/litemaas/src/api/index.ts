import {
  createApiFactory,
  createApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { LiteMaaSClient } from '@litemaas/backstage-plugin-litemaas-common';

/**
 * The LiteMaaS REST client as a frontend API.
 *
 * @public
 */
export const litemaasApiRef = createApiRef<LiteMaaSClient>({
  id: 'plugin.litemaas.api',
});

/** @public */
export const litemaasApiFactory = createApiFactory({
  api: litemaasApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new LiteMaaSClient({ discoveryApi, fetchApi }),
});
