import { screen } from '@testing-library/react';
import {
  MockFetchApi,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { LiteMaaSClient } from '@litemaas/backstage-plugin-litemaas-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { litemaasApiRef } from '../../api';
import { LiteMaaSPage } from './LiteMaaSPage';

const baseUrl = 'http://backstage.test/api/litemaas';
const server = setupServer();

describe('LiteMaaSPage', () => {
  registerMswTestHooks(server);

  const renderPage = () =>
    renderInTestApp(
      <TestApiProvider
        apis={[
          [
            litemaasApiRef,
            new LiteMaaSClient({
              discoveryApi: { getBaseUrl: async () => baseUrl },
              fetchApi: new MockFetchApi(),
            }),
          ],
        ]}
      >
        <LiteMaaSPage />
      </TestApiProvider>,
    );

  it('shows the title and a healthy backend', async () => {
    server.use(
      http.get(`${baseUrl}/health`, () =>
        HttpResponse.json({ status: 'ok', database: 'ok' }),
      ),
    );
    await renderPage();
    expect(
      screen.getByText('Governed access to large language models'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'The LiteMaaS backend is running and its database answers.',
      ),
    ).toBeInTheDocument();
  });

  it('says so when the database is down', async () => {
    server.use(
      http.get(`${baseUrl}/health`, () =>
        HttpResponse.json(
          { status: 'degraded', database: 'unavailable' },
          { status: 503 },
        ),
      ),
    );
    await renderPage();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /cannot be reached/,
    );
  });

  it('explains an unreachable backend', async () => {
    server.use(http.get(`${baseUrl}/health`, () => HttpResponse.error()));
    await renderPage();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The LiteMaaS backend cannot be reached',
    );
  });
});
