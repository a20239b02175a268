import { AuthService } from '@backstage/backend-plugin-api';
import { LITEMAAS_PLUGIN_ID } from '@litemaas/backstage-plugin-litemaas-common';

/** How long one call to the LiteMaaS backend may take before it is abandoned. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * A `fetch` for the LiteMaaS client that authenticates as this plugin (the catalog):
 * each call gets a fresh service token for the `litemaas` plugin.
 */
export function createServiceFetch(
  auth: AuthService,
  options: { targetPluginId?: string; timeoutMs?: number } = {},
): { fetch: typeof fetch } {
  const targetPluginId = options.targetPluginId ?? LITEMAAS_PLUGIN_ID;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    fetch: async (input, init) => {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId,
      });
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(input, {
        ...init,
        headers,
        signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
      });
    },
  };
}
