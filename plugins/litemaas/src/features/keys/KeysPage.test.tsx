import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import {
  apiKey,
  config,
  subscription,
  team,
  TEAM,
  usage,
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
const SECRET = ['sk', 'newsecret0123456789abcdefghij'].join('-');

/** Requests the page made for one key (`GET /keys/:id`); the list must need none. */
let perKeyReads = 0;

function serve(keys = [apiKey()]) {
  perKeyReads = 0;
  server.use(
    http.get(url('/config'), () => HttpResponse.json(config())),
    // Spend comes with the list when asked for (`include=usage`).
    http.get(url('/keys'), ({ request }) =>
      HttpResponse.json({
        items:
          new URL(request.url).searchParams.get('include') === 'usage'
            ? keys.map(k => ({ ...k, usage: usage() }))
            : keys,
      }),
    ),
    http.get(url('/keys/:id'), ({ params }) => {
      perKeyReads++;
      const key = keys.find(k => k.id === params.id);
      return key
        ? HttpResponse.json({ ...key, usage: usage() })
        : fail(404, 'no such key', 'NotFoundError');
    }),
    http.get(url('/teams'), () => HttpResponse.json({ items: [team()] })),
    http.get(url('/subscriptions'), () =>
      HttpResponse.json({
        items: [
          subscription(),
          subscription({ id: 's2', modelId: 'gpt-4o-mini' }),
          subscription({
            id: 's3',
            modelId: 'claude-3-5-sonnet',
            subjectRef: TEAM,
          }),
          subscription({ id: 's4', modelId: 'granite', status: 'pending' }),
        ],
      }),
    ),
  );
}

const render = (allow?: (name: string) => boolean) =>
  renderLiteMaaS(<LiteMaaSPage />, { path: '/keys', allow });

describe('KeysPage', () => {
  registerMswTestHooks(server);

  it('lists keys with owner, models, spend against budget, limits, expiry and status', async () => {
    serve([
      apiKey(),
      apiKey({
        id: '22222222-2222-4222-8222-222222222222',
        name: 'team key',
        ownerRef: TEAM,
        status: 'blocked',
        blockedByAdmin: true,
        tpmLimit: null,
        rpmLimit: null,
      }),
    ]);
    await render();
    const row = (await screen.findByText('invoice-assistant dev')).closest(
      'tr',
    )!;
    expect(within(row).getByText('Me')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'gpt-4o' }),
    ).toBeInTheDocument();
    const limits = within(row).getByText('10,000 TPM').closest('td')!;
    expect(limits).toHaveTextContent(/^10,000 TPM60 RPM$/);
    expect(within(limits).getByText('60 RPM')).toBeInTheDocument();
    expect(within(row).getByText('Active')).toBeInTheDocument();
    expect(
      await within(row).findByRole('progressbar', {
        name: 'Spend against budget: invoice-assistant dev',
      }),
    ).toHaveAttribute('aria-valuenow', '25');
    expect(within(row).getByText('$2.50 of $10.00')).toBeInTheDocument();
    expect(within(row).getByText('Budget period: 30 days')).toBeInTheDocument();
    // One request for the whole list: no key is read on its own.
    expect(perKeyReads).toBe(0);
    const blocked = screen.getByText('team key').closest('tr')!;
    expect(within(blocked).getByText('Team payments')).toBeInTheDocument();
    expect(
      within(blocked).getByText('Blocked by an admin'),
    ).toBeInTheDocument();
    expect(
      within(blocked).getByText(/Only an administrator can unblock it/),
    ).toBeInTheDocument();
    expect(
      within(blocked).getByRole('button', { name: 'Rotate: team key' }),
    ).toHaveAttribute('aria-disabled', 'true');
  });

  it('creates a key through the wizard, enforcing the maximums inline, and shows the secret once', async () => {
    serve([]);
    let body: any;
    server.use(
      http.get(url('/config'), () =>
        HttpResponse.json(
          config({ keyBudgetPeriods: { min: '7d', max: '30d' } }),
        ),
      ),
      http.post(url('/keys'), async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          {
            ...apiKey({ name: body.name, models: body.models }),
            secret: SECRET,
          },
          { status: 201 },
        );
      }),
    );
    await render();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Create key' }));
    const wizard = await screen.findByRole('dialog', {
      name: 'Create an API key',
    });
    const next = () => within(wizard).getByRole('button', { name: 'Next' });
    expect(next()).toBeDisabled();
    // One close button: the wizard's header, not the modal's as well.
    expect(
      within(wizard).getAllByRole('button', { name: 'Close' }),
    ).toHaveLength(1);
    await user.type(
      within(wizard).getByRole('textbox', { name: /Name/ }),
      'ci bot',
    );
    await user.click(next());

    // Models from my active subscriptions only (not the pending one, not the team's).
    const group = within(wizard).getByRole('group', { name: 'Models' });
    expect(
      within(group)
        .getAllByRole('checkbox')
        .map(c => (c as HTMLInputElement).labels?.[0]?.textContent),
    ).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(next()).toBeDisabled();
    await user.click(
      within(group).getByRole('checkbox', { name: 'gpt-4o-mini' }),
    );
    await user.click(next());

    // Only the budget periods the backend accepts are offered.
    expect(
      within(within(wizard).getByRole('combobox', { name: 'Budget period' }))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['No reset', 'Weekly', '30 days', 'Monthly']);

    // Defaults are filled in, maximums shown and enforced inline.
    const budget = within(wizard).getByRole('spinbutton', {
      name: 'Budget (USD)',
    });
    expect(budget).toHaveValue(10);
    expect(
      within(wizard).getByText('Default $10.00, at most $100.00'),
    ).toBeInTheDocument();
    await user.clear(budget);
    await user.type(budget, '500');
    expect(
      within(wizard).getByText('At most $100.00 is allowed'),
    ).toBeInTheDocument();
    expect(next()).toBeDisabled();
    await user.clear(budget);
    await user.type(budget, '50');
    const rpm = within(wizard).getByRole('spinbutton', {
      name: 'Requests per minute',
    });
    await user.clear(rpm);
    await user.type(rpm, '1.5');
    expect(
      within(wizard).getByText('Must be a whole number'),
    ).toBeInTheDocument();
    await user.clear(rpm);
    const expiry = within(wizard).getByLabelText('Expires on');
    await user.clear(expiry);
    await user.type(expiry, '2099-01-01');
    expect(
      within(wizard).getByText('At most 365 days from today'),
    ).toBeInTheDocument();
    expect(next()).toBeDisabled();
    await user.clear(expiry);
    expect(next()).toBeEnabled();
    await user.click(next());

    // The review shows the values as they will be sent, formatted as the list shows them.
    const review = within(wizard).getByLabelText('Check and create');
    const terms = within(review).getAllByRole('term');
    expect(
      Object.fromEntries(
        terms.map(term => [
          term.textContent,
          term.nextElementSibling?.textContent,
        ]),
      ),
    ).toEqual({
      Name: 'ci bot',
      Owner: 'Me',
      Models: 'gpt-4o-mini',
      'Budget (USD)': '$50.00',
      'Budget period': '30 days',
      'Tokens per minute': '10,000',
      'Requests per minute': 'No limit',
      'Expires on': 'Never',
    });

    await user.click(
      within(wizard).getByRole('button', { name: 'Create key' }),
    );
    await waitFor(() =>
      expect(body).toEqual({
        name: 'ci bot',
        models: ['gpt-4o-mini'],
        maxBudget: 50,
        budgetDuration: '30d',
        tpmLimit: 10000,
      }),
    );

    const modal = await screen.findByRole('dialog', {
      name: 'Your new API key',
    });
    expect(
      within(modal).getByText(/you will not see this secret again/),
    ).toBeInTheDocument();
    expect(within(modal).getByDisplayValue(SECRET)).toBeInTheDocument();
    expect(within(modal).getByTestId('litemaas-base-url')).toHaveTextContent(
      'https://llm.example.com/v1',
    );
    expect(within(modal).getByTestId('litemaas-snippet-env')).toHaveTextContent(
      `export OPENAI_API_KEY='${SECRET}'`,
    );
    await user.click(within(modal).getByRole('tab', { name: 'Python' }));
    const python = within(modal).getByTestId('litemaas-snippet-python');
    expect(python).toHaveTextContent('base_url="https://llm.example.com/v1"');
    expect(python).toHaveTextContent('model="gpt-4o-mini"');
    expect(python).not.toHaveTextContent(SECRET);
    await user.click(
      within(modal).getByRole('tab', { name: 'TypeScript / JavaScript' }),
    );
    expect(
      within(modal).getByTestId('litemaas-snippet-javascript'),
    ).toHaveTextContent("import OpenAI from 'openai';");

    // It cannot be closed before the acknowledgement, then the secret is gone.
    const done = within(modal).getByRole('button', { name: 'Done' });
    expect(done).toBeDisabled();
    await user.keyboard('{Escape}');
    expect(
      screen.getByRole('dialog', { name: 'Your new API key' }),
    ).toBeInTheDocument();
    await user.click(
      within(modal).getByRole('checkbox', {
        name: 'I have copied the secret and stored it safely',
      }),
    );
    await user.click(done);
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Your new API key' }),
      ).not.toBeInTheDocument(),
    );
    expect(document.body.innerHTML).not.toContain(SECRET);
  }, 90_000);

  it('offers the team as owner and lists the team subscriptions for a team key', async () => {
    serve([]);
    await render();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Create key' }));
    const wizard = await screen.findByRole('dialog', {
      name: 'Create an API key',
    });
    await user.type(
      within(wizard).getByRole('textbox', { name: /Name/ }),
      'shared',
    );
    await user.selectOptions(
      within(wizard).getByRole('combobox', { name: /Owner/ }),
      TEAM,
    );
    await user.click(within(wizard).getByRole('button', { name: 'Next' }));
    const group = within(wizard).getByRole('group', { name: 'Models' });
    expect(within(group).getAllByRole('checkbox')).toHaveLength(1);
    expect(
      within(group).getByRole('checkbox', { name: 'claude-3-5-sonnet' }),
    ).toBeInTheDocument();
  });

  it('offers the components its teams own (preselected from the card link); their key takes the team models and the component as owner', async () => {
    serve([]);
    let body: unknown;
    server.use(
      http.post(url('/keys'), async ({ request }) => {
        body = await request.json();
        return fail(503, 'LiteLLM is unavailable', 'ServiceUnavailableError');
      }),
    );
    const owned = (name: string, owner: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default', title: `${name} service` },
      spec: { type: 'service', owner },
      relations: [{ type: 'ownedBy', targetRef: owner }],
    });
    // As the LLM access card links: the wizard open with the component as owner.
    await renderLiteMaaS(<LiteMaaSPage />, {
      path: '/keys?create=&owner=component%3Adefault%2Finvoice-assistant',
      entities: [
        owned('invoice-assistant', TEAM),
        // Owned by a group that is not one of my teams: not offered.
        owned('search-indexer', 'group:default/search'),
      ],
    });
    const user = userEvent.setup();
    const wizard = await screen.findByRole('dialog', {
      name: 'Create an API key',
    });
    await user.type(
      within(wizard).getByRole('textbox', { name: /Name/ }),
      'invoices',
    );
    const ownerBox = within(wizard).getByRole('combobox', { name: /Owner/ });
    const option = await within(ownerBox).findByRole('option', {
      name: 'invoice-assistant service',
    });
    expect(option).toBeEnabled();
    expect(
      within(ownerBox).queryByRole('option', { name: /search-indexer/ }),
    ).not.toBeInTheDocument();
    await waitFor(() =>
      expect(ownerBox).toHaveValue('component:default/invoice-assistant'),
    );
    await user.click(within(wizard).getByRole('button', { name: 'Next' }));
    const group = within(wizard).getByRole('group', { name: 'Models' });
    expect(within(group).getAllByRole('checkbox')).toHaveLength(1);
    await user.click(
      within(group).getByRole('checkbox', { name: 'claude-3-5-sonnet' }),
    );
    await user.click(within(wizard).getByRole('button', { name: 'Next' }));
    await user.click(within(wizard).getByRole('button', { name: 'Next' }));
    expect(
      within(wizard).getByText('invoice-assistant service'),
    ).toBeInTheDocument();
    await user.click(
      within(wizard).getByRole('button', { name: 'Create key' }),
    );
    expect(
      await within(wizard).findByText(/LiteLLM is unavailable/),
    ).toBeInTheDocument();
    expect(body).toMatchObject({
      name: 'invoices',
      owner: 'component:default/invoice-assistant',
      models: ['claude-3-5-sonnet'],
    });
  });

  it('shows the backend refusal in the wizard', async () => {
    serve([]);
    server.use(
      http.post(url('/keys'), () =>
        fail(
          409,
          'user:default/alice already has 10 keys, the maximum is 10',
          'ConflictError',
        ),
      ),
    );
    await renderLiteMaaS(<LiteMaaSPage />, { path: '/keys?create=gpt-4o' });
    const wizard = await screen.findByRole('dialog', {
      name: 'Create an API key',
    });
    const user = userEvent.setup();
    await user.type(
      within(wizard).getByRole('textbox', { name: /Name/ }),
      'one more',
    );
    await user.click(within(wizard).getByRole('button', { name: 'Next' }));
    expect(
      within(wizard).getByRole('checkbox', { name: 'gpt-4o' }),
    ).toBeChecked();
    await user.click(within(wizard).getByRole('button', { name: 'Next' }));
    await user.click(within(wizard).getByRole('button', { name: 'Next' }));
    await user.click(
      within(wizard).getByRole('button', { name: 'Create key' }),
    );
    expect(
      await within(wizard).findByText(/already has 10 keys/),
    ).toBeInTheDocument();
  });

  it('rotates a key with a grace period and shows the new secret through the same modal', async () => {
    serve();
    let body: unknown;
    server.use(
      http.post(url('/keys/:id/rotate'), async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          {
            ...apiKey({ id: '33333333-3333-4333-8333-333333333333' }),
            secret: SECRET,
            previousKey: {
              id: apiKey().id,
              status: 'active',
              graceExpiresAt: '2026-12-01T10:00:00.000Z',
            },
          },
          { status: 201 },
        );
      }),
    );
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: 'Rotate: invoice-assistant dev',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Rotate invoice-assistant dev?',
    });
    await user.selectOptions(
      within(dialog).getByRole('combobox', {
        name: 'Old secret keeps working for',
      }),
      '86400',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Rotate' }));
    const modal = await screen.findByRole('dialog', {
      name: 'The new secret of invoice-assistant dev',
    });
    expect(body).toEqual({ gracePeriodSeconds: 86400 });
    expect(within(modal).getByDisplayValue(SECRET)).toBeInTheDocument();
    expect(
      within(modal).getByText(/The previous secret keeps working until/),
    ).toBeInTheDocument();
    await user.click(within(modal).getByRole('checkbox'));
    await user.click(within(modal).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(document.body.innerHTML).not.toContain(SECRET));
  });

  it('revokes only after the key name is typed', async () => {
    serve();
    let revoked = false;
    server.use(
      http.delete(url('/keys/:id'), () => {
        revoked = true;
        return HttpResponse.json(apiKey({ status: 'revoked' }));
      }),
    );
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: 'Revoke: invoice-assistant dev',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Revoke invoice-assistant dev?',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Revoke key' });
    expect(confirm).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', {
        name: 'Type invoice-assistant dev to confirm',
      }),
      'invoice-assistant',
    );
    expect(confirm).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', {
        name: 'Type invoice-assistant dev to confirm',
      }),
      ' dev',
    );
    await user.click(confirm);
    await waitFor(() => expect(revoked).toBe(true));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('edits the limits of a key; an emptied field removes the limit', async () => {
    serve();
    let body: unknown;
    server.use(
      http.patch(url('/keys/:id'), async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(apiKey());
      }),
    );
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: 'Edit limits: invoice-assistant dev',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Edit invoice-assistant dev',
    });
    const tpm = within(dialog).getByRole('spinbutton', {
      name: 'Tokens per minute',
    });
    await user.clear(tpm);
    const budget = within(dialog).getByRole('spinbutton', {
      name: 'Budget (USD)',
    });
    await user.clear(budget);
    await user.type(budget, '25');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(body).toEqual({
        maxBudget: 25,
        budgetDuration: '30d',
        tpmLimit: null,
        rpmLimit: 60,
        expiresAt: '2027-02-28T23:59:59.000Z',
      }),
    );
  });

  it('invites to create a first key', async () => {
    serve([]);
    await render();
    expect(await screen.findByText('No API keys yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create key' }),
    ).toBeInTheDocument();
  });

  it('shows a spinner while the keys load', async () => {
    serve();
    server.use(http.get(url('/keys'), never));
    await render();
    expect(
      await screen.findByRole('progressbar', { name: 'Loading keys…' }),
    ).toBeInTheDocument();
  });

  it("shows the backend's message when the keys cannot be read", async () => {
    serve();
    server.use(
      http.get(url('/keys'), () =>
        fail(
          503,
          'The LiteLLM proxy is unavailable; try again later',
          'ServiceUnavailableError',
        ),
      ),
    );
    await render();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The LiteLLM proxy is unavailable; try again later',
    );
  });
});
