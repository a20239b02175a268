import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { NotAllowedError, ResponseError } from '@backstage/errors';
import {
  LITEMAAS_PLUGIN_ID,
  LiteMaaSClient,
} from '@litemaas/backstage-plugin-litemaas-common';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { ZodError } from 'zod/v3';

/**
 * What every LiteMaaS action needs from the backend it runs in.
 *
 * @public
 */
export interface LiteMaaSActionDeps {
  auth: AuthService;
  discovery: DiscoveryService;
}

/**
 * A LiteMaaS REST client acting as the user who runs the template. The scaffolder keeps
 * the initiator's credentials with the task; a plugin request token for `litemaas` made
 * `onBehalfOf` them is a user-principal token (with the scaffolder as actor), so the
 * LiteMaaS backend applies that user's permissions, groups and ownership rules. A task
 * without a user (started by a service) is refused here.
 */
export async function clientForInitiator(
  ctx: Pick<ActionContext<JsonObject>, 'getInitiatorCredentials'>,
  deps: LiteMaaSActionDeps,
): Promise<{ client: LiteMaaSClient; userRef: string }> {
  const credentials = await ctx.getInitiatorCredentials();
  if (!deps.auth.isPrincipal(credentials, 'user')) {
    throw new NotAllowedError(
      'LiteMaaS actions act on behalf of the signed-in user who runs the template; this task was not started by a user',
    );
  }
  const { token } = await deps.auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: LITEMAAS_PLUGIN_ID,
  });
  const client = new LiteMaaSClient({
    discoveryApi: deps.discovery,
    fetchApi: {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: {
            ...(init?.headers as Record<string, string> | undefined),
            Authorization: `Bearer ${token}`,
          },
        }),
    },
  });
  return { client, userRef: credentials.principal.userEntityRef };
}

/** The zod issues of an input as one readable line: `models: at least one model is required; ...`. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map(issue =>
      issue.path.length > 0
        ? `${issue.path.join('.')}: ${issue.message}`
        : issue.message,
    )
    .join('; ');
}

/**
 * An error of the LiteMaaS backend as a task log can show it: what was refused, the
 * status and the backend's own message (which never carries a secret).
 */
export function describeBackendError(error: unknown, what: string): Error {
  if (error instanceof ResponseError) {
    const status = error.response.status;
    const message = error.body?.error?.message ?? error.message;
    const hints: Record<number, string> = {
      401: ' (the task has no valid user token for LiteMaaS)',
      503: ' (LiteMaaS or its LiteLLM proxy is unavailable, or reveal delivery is not configured; the step can be retried)',
    };
    const hint = hints[status] ?? '';
    const wrapped = new Error(
      `LiteMaaS refused to ${what}: ${status} ${message}${hint}`,
    );
    wrapped.name = error.body?.error?.name ?? 'LiteMaaSError';
    return wrapped;
  }
  // fetch rejects (TypeError "fetch failed", the cause naming ECONNREFUSED, a reset,
  // a timeout) when the LiteMaaS backend cannot be reached at all.
  if (error instanceof TypeError) {
    const cause = (error as { cause?: unknown }).cause;
    const why =
      cause instanceof Error
        ? (cause as { code?: string }).code ?? cause.message
        : error.message;
    const wrapped = new Error(
      `LiteMaaS could not be reached to ${what} (${why}); nothing was created by this step, and the step can be retried`,
    );
    wrapped.name = 'ServiceUnavailableError';
    return wrapped;
  }
  return error instanceof Error ? error : new Error(String(error));
}
