import { ReactElement } from 'react';
import {
  mockApis,
  MockFetchApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import { QueryClientProvider } from '@tanstack/react-query';
import { http, HttpResponse, delay } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  createLiteMaaSQueryClient,
  LiteMaaSApiClient,
  litemaasApiRef,
} from '../api';
import { rootRouteRef } from '../routes';
import { errorBody, TEAM, USER } from './fixtures';

export const BASE_URL = 'http://backstage.test/api/litemaas';

/** One msw server per test file: `registerMswTestHooks(server)` in the describe. */
export const createServer = () => setupServer();

/** An answer that never comes (for loading states). */
export const never = () => delay('infinite');

/** A backend error answer with its message. */
export const fail = (status: number, message: string, name = 'Error') =>
  HttpResponse.json(errorBody(name, message, status), { status });

export { http, HttpResponse };
export const url = (path: string) => `${BASE_URL}${path}`;

/**
 * Renders a LiteMaaS view against msw through the real API client, with a fresh query
 * cache, a signed-in user in the team `payments`, and permissions decided by `allow`.
 */
export async function renderLiteMaaS(
  element: ReactElement,
  options: {
    path?: string;
    mountPath?: string;
    entities?: Entity[];
    allow?: (permissionName: string) => boolean;
    /**
     * Leave the query cache to the view, as the app does (no test cache around it): for
     * the test that the page brings its own.
     */
    ownQueryCache?: boolean;
  } = {},
) {
  const client = createLiteMaaSQueryClient({ retry: false });
  const api = new LiteMaaSApiClient({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
    fetchApi: new MockFetchApi(),
  });
  const allow = options.allow ?? (() => true);
  // Mounted like the app mounts a plugin page: a route with a splat.
  const routes = (
    <Routes>
      <Route path="/*" element={element} />
    </Routes>
  );
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [litemaasApiRef, api],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: USER,
            ownershipEntityRefs: [USER, TEAM],
          }),
        ],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request =>
              allow(request.permission.name)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          }),
        ],
        [catalogApiRef, catalogApiMock({ entities: options.entities ?? [] })],
      ]}
    >
      {options.ownQueryCache ? (
        routes
      ) : (
        <QueryClientProvider client={client}>{routes}</QueryClientProvider>
      )}
    </TestApiProvider>,
    {
      routeEntries: [options.path ?? '/'],
      mountedRoutes: { '/': rootRouteRef },
    },
  );
}

/**
 * The loading and error states of a view that reads `GET route`: a spinner named
 * `loadingLabel` while the answer is pending, then, on a failure, the backend's message
 * in an alert.
 */
export async function expectSpinnerThenError(options: {
  server: SetupServer;
  route: string;
  loadingLabel: string;
  render: () => Promise<{ unmount(): void }>;
  status: number;
  message: string;
}) {
  const { server, route } = options;
  server.use(http.get(url(route), never));
  const first = await options.render();
  expect(
    await screen.findByRole('progressbar', { name: options.loadingLabel }),
  ).toBeInTheDocument();
  first.unmount();
  server.use(http.get(url(route), () => fail(options.status, options.message)));
  await options.render();
  expect(await screen.findByRole('alert')).toHaveTextContent(options.message);
}
