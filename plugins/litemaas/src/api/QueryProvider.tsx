import { ReactNode, useContext } from 'react';
import {
  QueryClient,
  QueryClientContext,
  QueryClientProvider,
} from '@tanstack/react-query';
import { ResponseError } from '@backstage/errors';

/** Answers that retrying cannot change: bad input, no access, not found, conflicts. */
function isFinal(error: unknown): boolean {
  return (
    ResponseError.is(error) && error.statusCode >= 400 && error.statusCode < 500
  );
}

/** A query client with the plugin's defaults. Exported for tests. @public */
export function createLiteMaaSQueryClient(
  overrides: { retry?: boolean } = {},
): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data changes through this UI (mutations invalidate) or slowly elsewhere.
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry:
          overrides.retry === false
            ? false
            : (count, error) => !isFinal(error) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

let shared: QueryClient | undefined;

/**
 * Gives LiteMaaS views a query cache. The page and the entity cards share one cache per
 * browser tab, so a subscription made on a card shows on the page; a provider further
 * up (tests, or an app that brings its own) wins.
 *
 * @public
 */
export function LiteMaaSQueryProvider(props: { children: ReactNode }) {
  const outer = useContext(QueryClientContext);
  if (outer) {
    return <>{props.children}</>;
  }
  shared ??= createLiteMaaSQueryClient();
  return (
    <QueryClientProvider client={shared}>{props.children}</QueryClientProvider>
  );
}
