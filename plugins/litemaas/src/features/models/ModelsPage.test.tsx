import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import {
  config,
  GRANITE,
  models,
  subscription,
  team,
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

const server = createServer();

function serve(items = models()) {
  server.use(
    http.get(url('/models'), () =>
      HttpResponse.json({ items, total: items.length }),
    ),
    http.get(url('/config'), () => HttpResponse.json(config())),
    http.get(url('/teams'), () => HttpResponse.json({ items: [team()] })),
  );
}

const card = (id: string) =>
  screen.getByRole('article', { name: id }) as HTMLElement;

describe('ModelsPage', () => {
  registerMswTestHooks(server);

  it('shows each model as a card with prices per million tokens and my access', async () => {
    serve();
    await renderLiteMaaS(<LiteMaaSPage />);
    expect(await screen.findByText('4 models')).toBeInTheDocument();
    const gpt = card('gpt-4o');
    expect(within(gpt).getByText('$2.50')).toBeInTheDocument();
    expect(within(gpt).getByText('$10.00')).toBeInTheDocument();
    expect(within(gpt).getByText('128K')).toBeInTheDocument();
    expect(within(gpt).getByText('Subscribed')).toBeInTheDocument();
    expect(within(gpt).getByText('Vision')).toBeInTheDocument();
    expect(
      within(card(GRANITE)).getByText('Request pending'),
    ).toBeInTheDocument();
    expect(
      within(card('claude-3-5-sonnet')).getByRole('button', {
        name: 'Request access: claude-3-5-sonnet',
      }),
    ).toBeInTheDocument();
    expect(
      within(card('gpt-4o-mini')).getByRole('button', {
        name: 'Subscribe: gpt-4o-mini',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: GRANITE })).toHaveAttribute(
      'href',
      `/models/${encodeURIComponent(GRANITE)}`,
    );
  });

  it('searches, filters by provider, capability, context, price, access and my access, and says when nothing matches', async () => {
    serve();
    await renderLiteMaaS(<LiteMaaSPage />);
    await screen.findByText('4 models');
    const user = userEvent.setup();

    await user.type(
      screen.getByRole('textbox', { name: 'Search models' }),
      'gpt',
    );
    expect(await screen.findByText('2 models')).toBeInTheDocument();
    await user.clear(screen.getByRole('textbox', { name: 'Search models' }));

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Provider' }),
      'anthropic',
    );
    expect(await screen.findByText('1 model')).toBeInTheDocument();
    expect(card('claude-3-5-sonnet')).toBeInTheDocument();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Provider' }),
      '',
    );

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Capability' }),
      'vision',
    );
    expect(await screen.findByText('2 models')).toBeInTheDocument();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Capability' }),
      '',
    );

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Context' }),
      '200000',
    );
    expect(await screen.findByText('1 model')).toBeInTheDocument();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Context' }),
      '',
    );

    // At most $1 per million input tokens: gpt-4o-mini ($0.15) and Granite ($0.20).
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Input price' }),
      '1',
    );
    expect(await screen.findByText('2 models')).toBeInTheDocument();
    expect(card('gpt-4o-mini')).toBeInTheDocument();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Input price' }),
      '',
    );

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Access' }),
      'restricted',
    );
    expect(await screen.findByText('2 models')).toBeInTheDocument();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'My access' }),
      'pending',
    );
    expect(await screen.findByText('1 model')).toBeInTheDocument();
    expect(card(GRANITE)).toBeInTheDocument();

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'My access' }),
      'subscribed',
    );
    expect(
      await screen.findByText('No model matches these filters'),
    ).toBeInTheDocument();
    await user.click(
      screen.getAllByRole('button', { name: 'Clear all filters' })[0],
    );
    expect(await screen.findByText('4 models')).toBeInTheDocument();
  });

  it('sorts by price and shows the same models as a table', async () => {
    serve();
    await renderLiteMaaS(<LiteMaaSPage />);
    await screen.findByText('4 models');
    const user = userEvent.setup();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Sort by' }),
      'priceDesc',
    );
    const titles = screen
      .getAllByRole('article')
      .filter(a => a.hasAttribute('aria-labelledby'))
      .map(a => a.querySelector('a')?.textContent);
    expect(titles).toEqual([
      'claude-3-5-sonnet',
      'gpt-4o',
      GRANITE,
      'gpt-4o-mini',
    ]);

    await user.click(screen.getByRole('button', { name: 'Table' }));
    const table = await screen.findByRole('grid', { name: 'Models' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(4);
    expect(within(rows[0]).getByText('claude-3-5-sonnet')).toBeInTheDocument();
    expect(within(rows[0]).getByText('200,000')).toBeInTheDocument();
  });

  it('compares 2 to 4 chosen models side by side', async () => {
    serve();
    await renderLiteMaaS(<LiteMaaSPage />);
    await screen.findByText('4 models');
    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: 'Compare gpt-4o' }));
    expect(screen.getByRole('button', { name: 'Compare' })).toBeDisabled();
    await user.click(
      screen.getByRole('checkbox', { name: 'Compare gpt-4o-mini' }),
    );
    await user.click(screen.getByRole('button', { name: 'Compare' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Compare models',
    });
    const rows = within(dialog).getAllByRole('row');
    const input = rows.find(r => within(r).queryByText('Input / 1M tokens'))!;
    expect(within(input).getByText('$2.50')).toBeInTheDocument();
    expect(within(input).getByText('$0.15')).toBeInTheDocument();
    expect(within(input).getByText('Lowest')).toBeInTheDocument();
    const vision = rows.find(r => within(r).queryByText('Vision'))!;
    expect(
      within(vision)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['✓', '–']);
    const access = rows.find(r => within(r).queryByText('Access'))!;
    expect(within(access).getByText('Subscribed')).toBeInTheDocument();
    expect(within(access).getByText('Open')).toBeInTheDocument();
  });

  it('allows at most 4 models in a comparison', async () => {
    serve([...models(), { ...models()[1], id: 'fifth' }]);
    await renderLiteMaaS(<LiteMaaSPage />);
    await screen.findByText('5 models');
    const user = userEvent.setup();
    for (const id of ['gpt-4o', 'gpt-4o-mini', GRANITE, 'claude-3-5-sonnet']) {
      await user.click(screen.getByRole('checkbox', { name: `Compare ${id}` }));
    }
    expect(
      screen.getByText('You can compare at most 4 models'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', { name: 'Compare fifth' }),
    ).toBeDisabled();
  });

  it('subscribes to an open model from its card', async () => {
    serve();
    let body: unknown;
    server.use(
      http.post(url('/subscriptions'), async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          subscription({ id: 'sub-9', modelId: 'gpt-4o-mini' }),
          { status: 201 },
        );
      }),
    );
    await renderLiteMaaS(<LiteMaaSPage />);
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', { name: 'Subscribe: gpt-4o-mini' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Subscribe to gpt-4o-mini',
    });
    // My teams are offered as subjects.
    expect(
      within(dialog).getByRole('option', { name: 'Team Payments' }),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Subscribe' }));
    await waitFor(() => expect(body).toEqual({ modelId: 'gpt-4o-mini' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('requests access to a restricted model only with a justification, and shows the backend refusal', async () => {
    serve();
    const bodies: unknown[] = [];
    server.use(
      http.post(url('/subscriptions'), async ({ request }) => {
        bodies.push(await request.json());
        return fail(
          400,
          'Invalid subscription request: justification: must not contain an API key secret',
          'InputError',
        );
      }),
    );
    await renderLiteMaaS(<LiteMaaSPage />);
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: 'Request access: claude-3-5-sonnet',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request access to claude-3-5-sonnet',
    });
    await user.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    expect(
      within(dialog).getByText('A justification is required for this model'),
    ).toBeInTheDocument();
    expect(bodies).toHaveLength(0);

    await user.type(
      within(dialog).getByRole('textbox', { name: /Why do you need it/ }),
      'Summarise invoices',
    );
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: 'For' }),
      'group:default/payments',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    expect(
      await within(dialog).findByText(/must not contain an API key secret/),
    ).toBeInTheDocument();
    expect(bodies).toEqual([
      {
        modelId: 'claude-3-5-sonnet',
        subject: 'group:default/payments',
        justification: 'Summarise invoices',
      },
    ]);
  });

  it('explains an empty model list', async () => {
    serve([]);
    await renderLiteMaaS(<LiteMaaSPage />);
    expect(await screen.findByText('No models yet')).toBeInTheDocument();
  });

  it('shows a spinner while the models load', async () => {
    server.use(
      http.get(url('/models'), never),
      http.get(url('/config'), () => HttpResponse.json(config())),
    );
    await renderLiteMaaS(<LiteMaaSPage />);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading models…' }),
    ).toBeInTheDocument();
  });

  it("shows the backend's message when the models cannot be read, and retries", async () => {
    let calls = 0;
    server.use(
      http.get(url('/models'), () => {
        calls += 1;
        return calls === 1
          ? fail(503, 'The database does not answer', 'ServiceUnavailableError')
          : HttpResponse.json({ items: models(), total: 4 });
      }),
      http.get(url('/config'), () => HttpResponse.json(config())),
    );
    await renderLiteMaaS(<LiteMaaSPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The database does not answer',
    );
    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('4 models')).toBeInTheDocument();
  });
});
