import {
  createApiFactory,
  createApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { LiteMaaSApiClient } from './LiteMaaSApiClient';
import type { LiteMaaSApi } from './types';

/**
 * The LiteMaaS backend as a frontend API. Apps can replace it (e.g. in tests or a
 * dynamic-plugin host) through the usual API overrides.
 *
 * @public
 */
export const litemaasApiRef = createApiRef<LiteMaaSApi>({
  id: 'plugin.litemaas.api',
});

/** @public */
export const litemaasApiFactory = createApiFactory({
  api: litemaasApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new LiteMaaSApiClient({ discoveryApi, fetchApi }),
});
