import { screen, within } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import { apiKey, config, GRANITE, models } from '../../__testUtils__/fixtures';
import {
  createServer,
  fail,
  http,
  HttpResponse,
  never,
  renderLiteMaaS,
  url,
} from '../../__testUtils__/render';

const server = createServer();

const granite = {
  ...models()[2],
  deprecated: true,
  replacementModelId: 'gpt-4o-mini',
  deprecationDate: '2027-01-31T00:00:00.000Z',
  consumers: [
    {
      entityRef: 'component:default/invoice-assistant',
      title: 'Invoice assistant',
      ownerRef: 'group:default/payments',
    },
  ],
};

const modelEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'ibm-granite-granite-3-1-8b-instruct',
    namespace: 'default',
    annotations: { 'litemaas.io/model-id': GRANITE },
  },
  spec: { type: 'ai-model', owner: 'group:default/platform-team' },
};

function serve() {
  server.use(
    http.get(url('/models/*'), ({ request }) => {
      const id = decodeURIComponent(
        new URL(request.url).pathname.replace(/^.*\/models\//, ''),
      );
      return id === GRANITE
        ? HttpResponse.json(granite)
        : fail(404, `Model '${id}' not found`, 'NotFoundError');
    }),
    http.get(url('/config'), () => HttpResponse.json(config())),
    http.get(url('/keys'), () =>
      HttpResponse.json({
        items: [
          apiKey({ name: 'with granite', models: ['gpt-4o', GRANITE] }),
          apiKey({ id: 'other', name: 'without granite' }),
        ],
      }),
    ),
  );
}

describe('ModelDetailsPage', () => {
  registerMswTestHooks(server);

  it('shows a model: prices, context, capabilities, deprecation, my access and keys, consumers and its catalog entity', async () => {
    serve();
    await renderLiteMaaS(<LiteMaaSPage />, {
      path: `/models/${encodeURIComponent(GRANITE)}`,
      entities: [modelEntity],
    });
    expect(
      await screen.findByRole('heading', { name: GRANITE }),
    ).toBeInTheDocument();
    expect(screen.getByText('hosted_vllm')).toBeInTheDocument();
    expect(screen.getByText('8,192')).toBeInTheDocument();
    expect(screen.getAllByText('$0.20')).toHaveLength(2);
    expect(screen.getByText('This model is deprecated')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'gpt-4o-mini' })).toHaveAttribute(
      'href',
      '/models/gpt-4o-mini',
    );
    expect(
      screen.getByText('Your request is waiting for an approver.'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'with granite' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('without granite')).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Invoice assistant' }),
    ).toHaveAttribute('href', '/catalog/default/component/invoice-assistant');
    expect(
      await screen.findByRole('link', { name: 'Open in the catalog' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/ibm-granite-granite-3-1-8b-instruct',
    );
  });

  it('offers to request access from the model page', async () => {
    serve();
    server.use(
      http.get(url('/models/*'), () =>
        HttpResponse.json({ ...granite, subscription: null }),
      ),
    );
    await renderLiteMaaS(<LiteMaaSPage />, {
      path: `/models/${encodeURIComponent(GRANITE)}`,
    });
    const access = (await screen.findByRole('heading', { name: 'My access' }))
      .parentElement!.parentElement!;
    expect(
      within(access).getByRole('button', {
        name: `Request access: ${GRANITE}`,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Not in the catalog yet')).toBeInTheDocument();
  });

  it('says when the model does not exist', async () => {
    serve();
    await renderLiteMaaS(<LiteMaaSPage />, { path: '/models/nope' });
    expect(await screen.findByText('Not found')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      "Model 'nope' not found",
    );
    expect(
      screen.getByRole('link', { name: /All models/ }),
    ).toBeInTheDocument();
  });

  it('shows a spinner while the model loads', async () => {
    server.use(http.get(url('/models/*'), never));
    await renderLiteMaaS(<LiteMaaSPage />, { path: '/models/gpt-4o' });
    expect(
      await screen.findByRole('progressbar', { name: 'Loading the model…' }),
    ).toBeInTheDocument();
  });
});
