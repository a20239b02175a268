import { screen, within } from '@testing-library/react';
import {
  MockFetchApi,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  LiteMaaSClient,
  ModelListItem,
} from '@litemaas/backstage-plugin-litemaas-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { litemaasApiRef } from '../../api';
import { LiteMaaSPage } from './LiteMaaSPage';

const baseUrl = 'http://backstage.test/api/litemaas';
const server = setupServer();

const model = (overrides: Partial<ModelListItem>): ModelListItem => ({
  id: 'gpt-4o',
  provider: 'openai',
  description: null,
  contextLength: 128000,
  inputCostPerToken: 0.0000025,
  outputCostPerToken: 0.00001,
  capabilities: ['chat', 'vision'],
  mode: 'chat',
  restricted: false,
  status: 'available',
  deprecated: false,
  replacementModelId: null,
  deprecationDate: null,
  ownerGroupRef: null,
  lastSyncedAt: '2026-11-26T10:00:00.000Z',
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  subscription: null,
  ...overrides,
});

const GRANITE = 'ibm-granite/granite-3.1-8b-instruct';
const models = [
  model({}),
  model({
    id: GRANITE,
    provider: 'hosted_vllm',
    restricted: true,
    capabilities: [],
    subscription: { id: 's1', status: 'pending', expiresAt: null },
  }),
];

describe('LiteMaaSPage', () => {
  registerMswTestHooks(server);

  const renderPage = (path = '/') =>
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
      { routeEntries: [path] },
    );

  const healthy = http.get(`${baseUrl}/health`, () =>
    HttpResponse.json({ status: 'ok', database: 'ok' }),
  );

  it('lists the models with prices per million tokens and my access', async () => {
    server.use(
      healthy,
      http.get(`${baseUrl}/models`, () =>
        HttpResponse.json({ items: models, total: 2 }),
      ),
    );
    await renderPage();
    const row = (await screen.findByText('gpt-4o')).closest('tr')!;
    expect(within(row).getByText('$2.50')).toBeInTheDocument();
    expect(within(row).getByText('$10.00')).toBeInTheDocument();
    expect(within(row).getByText('Open')).toBeInTheDocument();
    expect(within(row).getByText('vision')).toBeInTheDocument();
    const granite = screen.getByText(GRANITE).closest('tr')!;
    expect(within(granite).getByText('Request pending')).toBeInTheDocument();
    expect(screen.getByText(GRANITE).closest('a')).toHaveAttribute(
      'href',
      `/models/${encodeURIComponent(GRANITE)}`,
    );
    expect(
      await screen.findByText(
        'The LiteMaaS backend is running and its database answers.',
      ),
    ).toBeInTheDocument();
  });

  it('explains an empty model list', async () => {
    server.use(
      healthy,
      http.get(`${baseUrl}/models`, () =>
        HttpResponse.json({ items: [], total: 0 }),
      ),
    );
    await renderPage();
    expect(await screen.findByText(/No models yet/)).toBeInTheDocument();
  });

  it('shows the backend error when the models cannot be read', async () => {
    server.use(
      healthy,
      http.get(`${baseUrl}/models`, () =>
        HttpResponse.json(
          {
            error: { name: 'ServiceUnavailableError', message: 'db is down' },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    await renderPage();
    expect((await screen.findAllByText(/db is down/)).length).toBeGreaterThan(
      0,
    );
  });

  it('explains an unreachable backend in the status card', async () => {
    server.use(
      http.get(`${baseUrl}/health`, () => HttpResponse.error()),
      http.get(`${baseUrl}/models`, () =>
        HttpResponse.json({ items: [], total: 0 }),
      ),
    );
    await renderPage();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The LiteMaaS backend cannot be reached',
    );
  });

  it('shows one model on its own page, whatever characters its name has', async () => {
    server.use(
      http.get(`${baseUrl}/models/:id`, ({ params }) =>
        params.id === GRANITE
          ? HttpResponse.json({
              ...models[1],
              consumers: [
                {
                  entityRef: 'component:default/invoice-assistant',
                  title: 'Invoice assistant',
                  ownerRef: 'group:default/payments',
                },
              ],
            })
          : HttpResponse.json({}, { status: 404 }),
      ),
    );
    await renderPage(`/models/${encodeURIComponent(GRANITE)}`);
    // The card title and the name row of the table.
    expect(await screen.findAllByText(GRANITE)).toHaveLength(2);
    expect(screen.getByText('hosted_vllm')).toBeInTheDocument();
    expect(screen.getByText('Request pending')).toBeInTheDocument();
    expect(screen.getByText('Invoice assistant').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/invoice-assistant',
    );
  });

  it('says so when the model does not exist', async () => {
    server.use(
      http.get(`${baseUrl}/models/:id`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotFoundError', message: 'no such model' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await renderPage('/models/nope');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'There is no model called nope.',
    );
  });
});
