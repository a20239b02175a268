import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import {
  apiKey,
  config,
  models,
  subscription,
  TEAM,
} from '../../__testUtils__/fixtures';
import {
  createServer,
  fail,
  http,
  HttpResponse,
  expectSpinnerThenError,
  renderLiteMaaS,
  url,
} from '../../__testUtils__/render';

const server = createServer();

const items = () => [
  subscription(),
  subscription({
    id: 'sub-2',
    modelId: 'claude-3-5-sonnet',
    status: 'denied',
    justification: 'Summarise invoices',
    reason: 'Use gpt-4o-mini for this',
    decidedBy: 'user:default/alice',
    decidedAt: '2026-11-22T10:00:00.000Z',
  }),
  subscription({
    id: 'sub-3',
    modelId: 'ibm-granite/granite-3.1-8b-instruct',
    status: 'pending',
    justification: 'Try Granite',
  }),
  subscription({ id: 'sub-4', modelId: 'gpt-4o-mini', subjectRef: TEAM }),
];

function serve(subscriptions = items()) {
  server.use(
    http.get(url('/subscriptions'), () =>
      HttpResponse.json({ items: subscriptions, total: subscriptions.length }),
    ),
    http.get(url('/models'), () =>
      HttpResponse.json({ items: models(), total: 4 }),
    ),
    http.get(url('/config'), () => HttpResponse.json(config())),
    http.get(url('/teams'), () => HttpResponse.json({ items: [] })),
    http.get(url('/keys'), () =>
      HttpResponse.json({
        items: [
          apiKey({ name: 'only gpt-4o' }),
          apiKey({
            id: 'k2',
            name: 'two models',
            models: ['gpt-4o', 'gpt-4o-mini'],
          }),
          apiKey({ id: 'k3', name: 'team key', ownerRef: TEAM }),
          apiKey({ id: 'k4', name: 'no gpt-4o', models: ['gpt-4o-mini'] }),
        ],
      }),
    ),
  );
}

const render = () =>
  renderLiteMaaS(<LiteMaaSPage />, { path: '/subscriptions' });

describe('SubscriptionsPage', () => {
  registerMswTestHooks(server);

  it('lists mine and my teams by status, with justification, reason and decision date', async () => {
    serve();
    await render();
    const denied = (
      await screen.findByRole('link', { name: 'claude-3-5-sonnet' })
    ).closest('tr')!;
    expect(within(denied).getByText('Denied')).toBeInTheDocument();
    expect(within(denied).getByText('Summarise invoices')).toBeInTheDocument();
    expect(
      within(denied).getByText('Use gpt-4o-mini for this'),
    ).toBeInTheDocument();
    expect(within(denied).getByText('Nov 22, 2026')).toBeInTheDocument();
    expect(
      within(denied).getByRole('button', {
        name: 'Ask again: claude-3-5-sonnet',
      }),
    ).toBeInTheDocument();
    const team = screen
      .getByRole('link', { name: 'gpt-4o-mini' })
      .closest('tr')!;
    expect(within(team).getByText('Team payments')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(
      screen.getByRole('button', { name: 'Request pending (1)' }),
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(within(rows[0]).getByText('Try Granite')).toBeInTheDocument();
  });

  it('names the keys that lose the model before cancelling', async () => {
    serve();
    let cancelled: string | undefined;
    server.use(
      http.delete(url('/subscriptions/:id'), ({ params }) => {
        cancelled = params.id as string;
        return HttpResponse.json(subscription({ status: 'cancelled' }));
      }),
    );
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: 'Cancel the subscription to gpt-4o',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Cancel the subscription to gpt-4o?',
    });
    const list = await within(dialog).findByRole('list', {
      name: 'These 2 keys lose the model:',
    });
    const names = within(list)
      .getAllByRole('listitem')
      .map(li => li.textContent);
    expect(names).toEqual([
      expect.stringMatching(
        /^only gpt-4o .*has no other model and will be blocked/,
      ),
      expect.stringMatching(/^two models \(sk-\.\.\.abcd\)$/),
    ]);
    await user.click(
      within(dialog).getByRole('button', { name: 'Cancel subscription' }),
    );
    await waitFor(() => expect(cancelled).toBe('sub-1'));
  });

  it('shows the backend refusal of a cancellation in the dialog', async () => {
    serve();
    server.use(
      http.delete(url('/subscriptions/:id'), () =>
        fail(
          409,
          "Subscription 'sub-1' is expired; there is nothing to cancel",
          'ConflictError',
        ),
      ),
    );
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: 'Cancel the subscription to gpt-4o',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(
      within(dialog).getByRole('button', { name: 'Cancel subscription' }),
    );
    expect(
      await within(dialog).findByText(/nothing to cancel/),
    ).toBeInTheDocument();
  });

  it('invites to browse the models when there is no subscription', async () => {
    serve([]);
    await render();
    expect(await screen.findByText('No subscriptions yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Browse models' })).toHaveAttribute(
      'href',
      '/',
    );
  });

  it('shows a spinner, then the backend error', async () => {
    await expectSpinnerThenError({
      server,
      route: '/subscriptions',
      loadingLabel: 'Loading subscriptions…',
      render,
      status: 500,
      message: 'database locked',
    });
  });
});
