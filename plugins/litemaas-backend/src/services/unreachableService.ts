/**
 * The Backstage service (plugin id) a client could not reach, if the error is that:
 * Backstage's permission and catalog clients fetch through node-fetch, whose FetchError
 * of type `system` says "request to <url> failed, reason: …"; `''` when no URL is given.
 */
export function unreachableService(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'FetchError')
    return undefined;
  if ((error as { type?: unknown }).type !== 'system') return undefined;
  return /request to \S*?\/api\/([\w-]+)/.exec(error.message)?.[1] ?? '';
}
