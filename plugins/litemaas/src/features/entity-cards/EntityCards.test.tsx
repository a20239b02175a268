import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { useLocation } from 'react-router-dom';
import {
  apiKey,
  config,
  model,
  models,
  TEAM,
  team,
  usage,
  USER,
} from '../../__testUtils__/fixtures';
import {
  createServer,
  fail,
  http,
  HttpResponse,
  never,
  renderLiteMaaS,
  url,
} from '../../__testUtils__/render';
import {
  isLiteMaaSConsumerEntity,
  isLiteMaaSModelEntity,
  isLiteMaaSTeamEntity,
  LlmAccessEntityCard,
  ModelEntityCard,
  TeamEntityCard,
} from '.';

const server = createServer();

const modelEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'gpt-4o-mini',
    namespace: 'default',
    annotations: { 'litemaas.io/model-id': 'gpt-4o-mini' },
  },
  spec: { type: 'ai-model', owner: 'group:default/platform-team' },
};

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    title: 'Checkout',
    annotations: { 'litemaas.io/models': 'gpt-4o, not-a-model' },
  },
  spec: { type: 'service', owner: TEAM, lifecycle: 'production' },
};

const group: Entity = {
  apiVersion: 'backstage.io/v1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const KEY_CHECKOUT = '33333333-3333-4333-8333-333333333333';

function serve() {
  server.use(
    http.get(url('/config'), () => HttpResponse.json(config())),
    http.get(url('/models'), () =>
      HttpResponse.json({ items: models(), total: 4 }),
    ),
    http.get(url('/models/*'), () =>
      HttpResponse.json({
        ...model({
          id: 'gpt-4o-mini',
          contextLength: 128000,
          inputCostPerToken: 0.00000015,
          outputCostPerToken: 0.0000006,
        }),
        consumers: [],
      }),
    ),
    // The cards read spend from the list (`include=usage`), never key by key.
    http.get(url('/keys'), ({ request }) => {
      const withUsage =
        new URL(request.url).searchParams.get('include') === 'usage';
      const items = [
        apiKey({ name: 'mini key', models: ['gpt-4o-mini'] }),
        apiKey({ id: 'k2', name: 'other key', models: ['gpt-4o'] }),
        apiKey({
          id: KEY_CHECKOUT,
          name: 'checkout key',
          ownerRef: TEAM,
          maxBudget: 50,
          metadata: { 'backstage.component': 'component:default/checkout' },
        }),
      ];
      return HttpResponse.json({
        items: items.map(k =>
          withUsage
            ? { ...k, usage: usage({ spend: 12.5, maxBudget: 50 }) }
            : k,
        ),
      });
    }),
    http.get(url('/keys/:id'), () =>
      fail(500, 'the cards must not read keys one by one'),
    ),
    http.get(url(`/teams/${encodeURIComponent(TEAM)}`), () =>
      HttpResponse.json(
        team({ members: [USER, 'user:default/bob'], spend: 120 }),
      ),
    ),
    http.get(url('/usage'), ({ request }) => {
      const groupBy = new URL(request.url).searchParams.get('groupBy');
      const row = (key: string, spend: number, requests: number) => ({
        group: key,
        label: null,
        requests,
        successfulRequests: requests,
        failedRequests: 0,
        promptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
        spend,
      });
      const rows =
        groupBy === 'model'
          ? [row('gpt-4o-mini', 3, 30), row('gpt-4o', 80, 40)]
          : [row(USER, 70, 50), row('user:default/bob', 13, 20)];
      return HttpResponse.json({
        from: '2026-11-01',
        to: '2026-11-30',
        groupBy,
        currency: 'USD',
        rows,
        totals: row('all', 83, 70),
        lastSyncedAt: null,
      });
    }),
  );
}

/** Where a card's button navigated to. */
function Location() {
  const { pathname, search } = useLocation();
  return <span data-testid="location">{pathname + search}</span>;
}

const renderCard = (entity: Entity, card: JSX.Element, allow?: () => boolean) =>
  renderLiteMaaS(
    <EntityProvider entity={entity}>
      {card}
      <Location />
    </EntityProvider>,
    { allow },
  );

describe('entity filters', () => {
  it('puts each card only on the entities it applies to', () => {
    expect(
      [modelEntity, component, group].map(e => [
        isLiteMaaSModelEntity(e),
        isLiteMaaSConsumerEntity(e),
        isLiteMaaSTeamEntity(e),
      ]),
    ).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ]);
    // A resource of another type, and a component that declares no models.
    expect(
      isLiteMaaSModelEntity({
        ...modelEntity,
        spec: { type: 'database' },
      }),
    ).toBe(false);
    expect(
      isLiteMaaSConsumerEntity({
        ...component,
        metadata: { name: 'plain' },
      }),
    ).toBe(false);
    expect(isLiteMaaSConsumerEntity({ ...component, kind: 'System' })).toBe(
      true,
    );
  });
});

describe('ModelEntityCard', () => {
  registerMswTestHooks(server);

  it('shows prices, context, status, my access with a subscribe button and my keys', async () => {
    serve();
    let subscribed: unknown;
    server.use(
      http.post(url('/subscriptions'), async ({ request }) => {
        subscribed = await request.json();
        return HttpResponse.json({}, { status: 201 });
      }),
    );
    await renderCard(modelEntity, <ModelEntityCard />);
    expect(await screen.findByText('$0.15')).toBeInTheDocument();
    expect(screen.getByText('$0.60')).toBeInTheDocument();
    expect(screen.getByText('128,000 tokens')).toBeInTheDocument();
    expect(screen.getByText('Available')).toBeInTheDocument();
    expect(screen.getByText('Open')).toBeInTheDocument();
    expect(await screen.findByText('mini key')).toBeInTheDocument();
    expect(screen.queryByText('other key')).toBeNull();
    expect(
      screen.getByRole('link', { name: /Open in LiteMaaS/ }),
    ).toHaveAttribute('href', '/litemaas/models/gpt-4o-mini');

    const user = userEvent.setup();
    await user.click(
      screen.getByRole('button', { name: 'Subscribe: gpt-4o-mini' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /Subscribe/ }));
    await waitFor(() =>
      expect(subscribed).toMatchObject({ modelId: 'gpt-4o-mini' }),
    );
  });

  it('shows loading, then the backend error; and says when the entity is not linked', async () => {
    serve();
    server.use(http.get(url('/models/*'), never));
    const first = await renderCard(modelEntity, <ModelEntityCard />);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading…' }),
    ).toBeInTheDocument();
    first.unmount();

    server.use(
      http.get(url('/models/*'), () =>
        fail(503, 'LiteLLM is unavailable', 'ServiceUnavailableError'),
      ),
    );
    const second = await renderCard(modelEntity, <ModelEntityCard />);
    expect(
      await screen.findByText('LiteLLM is unavailable'),
    ).toBeInTheDocument();
    second.unmount();

    await renderCard(
      { ...modelEntity, metadata: { name: 'unlinked' } },
      <ModelEntityCard />,
    );
    expect(
      screen.getByText(/has no litemaas.io\/model-id annotation/),
    ).toBeInTheDocument();
  });
});

describe('LlmAccessEntityCard', () => {
  registerMswTestHooks(server);

  it('lists declared models with access, the keys minted for it with spend, and a mint button', async () => {
    serve();
    await renderCard(component, <LlmAccessEntityCard />);
    const declared = (
      await screen.findByRole('heading', { name: 'Declared models' })
    ).parentElement!;
    expect(
      await within(declared).findByRole('link', { name: 'gpt-4o' }),
    ).toHaveAttribute('href', '/litemaas/models/gpt-4o');
    expect(within(declared).getByText('Subscribed')).toBeInTheDocument();
    expect(within(declared).getByText('not-a-model')).toBeInTheDocument();
    expect(within(declared).getByText('Not in LiteMaaS')).toBeInTheDocument();

    const keys = screen.getByRole('heading', {
      name: 'Keys of Checkout',
    }).parentElement!;
    expect(await within(keys).findByText('checkout key')).toBeInTheDocument();
    expect(within(keys).queryByText('mini key')).toBeNull();
    expect(
      await within(keys).findByText('$12.50 of $50.00'),
    ).toBeInTheDocument();

    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Create a key' }));
    // The keys page's wizard, with its first declared model and the entity as owner.
    const location = new URL(
      screen.getByTestId('location').textContent!,
      'http://portal',
    );
    expect(location.pathname).toBe('/litemaas/keys');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      create: 'gpt-4o',
      owner: 'component:default/checkout',
    });
  });

  it('says so when no key belongs to it', async () => {
    serve();
    server.use(http.get(url('/keys'), () => HttpResponse.json({ items: [] })));
    await renderCard(component, <LlmAccessEntityCard />);
    expect(
      await screen.findByText('No key you can see belongs to Checkout yet.'),
    ).toBeInTheDocument();
  });

  it('shows the backend message when the keys cannot be read', async () => {
    serve();
    server.use(
      http.get(url('/keys'), () => fail(500, 'The database is unreachable')),
    );
    await renderCard(component, <LlmAccessEntityCard />);
    expect(
      await screen.findByText('The database is unreachable'),
    ).toBeInTheDocument();
  });
});

describe('TeamEntityCard', () => {
  registerMswTestHooks(server);

  it('shows budget, its source, spend this period, members, top models and members usage', async () => {
    serve();
    await renderCard(group, <TeamEntityCard />);
    expect(await screen.findByText('$500.00 · Monthly')).toBeInTheDocument();
    expect(screen.getByText('$120.00 of $500.00')).toBeInTheDocument();
    expect(
      screen.getByText("the group's catalog annotations"),
    ).toBeInTheDocument();
    expect(screen.getByText('2 members')).toBeInTheDocument();

    const top = screen.getByRole('heading', {
      name: 'Top models (last 30 days)',
    }).parentElement!;
    await within(top).findByText('gpt-4o');
    // Biggest spend first.
    expect(
      within(top)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'gpt-4o $80.00 · 40 requests',
      'gpt-4o-mini $3.00 · 30 requests',
    ]);

    const members = screen.getByRole('heading', {
      name: "Members' usage (last 30 days)",
    }).parentElement!;
    expect(await within(members).findByText('alice')).toBeInTheDocument();
    expect(within(members).getByText('bob')).toBeInTheDocument();
  });

  it('says where an admin set the budget, and hides members usage the viewer may not see', async () => {
    serve();
    server.use(
      http.get(url(`/teams/${encodeURIComponent(TEAM)}`), () =>
        HttpResponse.json(team({ catalogManaged: [] })),
      ),
      http.get(url('/usage'), ({ request }) =>
        new URL(request.url).searchParams.get('groupBy') === 'user'
          ? fail(403, 'Only admins see per-user usage', 'NotAllowedError')
          : HttpResponse.json({
              from: '2026-11-01',
              to: '2026-11-30',
              groupBy: 'model',
              currency: 'USD',
              rows: [],
              totals: {},
              lastSyncedAt: null,
            }),
      ),
    );
    await renderCard(group, <TeamEntityCard />);
    expect(
      await screen.findByText('a LiteMaaS administrator'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        "You may not see the members' usage of this team.",
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No usage in the last 30 days.'),
    ).toBeInTheDocument();
  });

  it('says the group is not a LiteMaaS team on 404, and shows other errors', async () => {
    serve();
    server.use(
      http.get(url(`/teams/${encodeURIComponent(TEAM)}`), () =>
        fail(404, 'Team not found', 'NotFoundError'),
      ),
    );
    const first = await renderCard(group, <TeamEntityCard />);
    expect(
      await screen.findByRole('heading', { name: 'Not a LiteMaaS team' }),
    ).toBeInTheDocument();
    first.unmount();

    server.use(
      http.get(url(`/teams/${encodeURIComponent(TEAM)}`), () =>
        fail(503, 'LiteLLM is unavailable', 'ServiceUnavailableError'),
      ),
    );
    await renderCard(group, <TeamEntityCard />);
    expect(
      await screen.findByText('LiteLLM is unavailable'),
    ).toBeInTheDocument();
  });
});
