import { useApi } from '@backstage/core-plugin-api';
import { litemaasApiRef } from '../ref';

/** The LiteMaaS API, for the hooks of this folder only. */
export function useLiteMaaSApi() {
  return useApi(litemaasApiRef);
}
