import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import { models, USER } from '../../__testUtils__/fixtures';
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

const entry = (id: number, overrides: Record<string, unknown> = {}) => ({
  id,
  occurredAt: '2026-11-28T09:30:00.000Z',
  actorRef: USER,
  action: 'key.create',
  targetType: 'key',
  targetId: `key-${id}`,
  outcome: 'success',
  reason: null,
  details: { name: `ci-${id}`, models: ['gpt-4o'] },
  ...overrides,
});

/** Serves two pages (cursor `2`); returns the query strings the page sent. */
function serve() {
  const queries: Record<string, string>[] = [];
  server.use(
    http.get(url('/models'), () =>
      HttpResponse.json({ items: models(), total: 4 }),
    ),
    http.get(url('/admin/audit'), ({ request }) => {
      const query = Object.fromEntries(new URL(request.url).searchParams);
      queries.push(query);
      if (query.cursor === '2') {
        return HttpResponse.json({
          items: [entry(1, { action: 'key.revoke' })],
        });
      }
      return HttpResponse.json({
        items: [
          entry(3, {
            action: 'subscription.approve',
            targetType: 'subscription',
            targetId: 'sub-9',
            outcome: 'denied',
            reason: 'not an approver of gpt-4o',
            actorRef: 'user:default/bob',
          }),
          entry(2),
        ],
        nextCursor: '2',
      });
    }),
  );
  return queries;
}

const render = () => renderLiteMaaS(<LiteMaaSPage />, { path: '/audit' });

describe('AuditPage', () => {
  registerMswTestHooks(server);

  it('lists entries newest first, unfolds details and reads the next page', async () => {
    const queries = serve();
    await render();
    const denied = (await screen.findByText('subscription.approve')).closest(
      'tr',
    )!;
    expect(within(denied).getByText('user:default/bob')).toBeInTheDocument();
    expect(within(denied).getByText('subscription sub-9')).toBeInTheDocument();
    expect(within(denied).getByText('Denied')).toBeInTheDocument();
    expect(
      within(denied).getByText('not an approver of gpt-4o'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Audit' })).toBeInTheDocument();

    const user = userEvent.setup();
    expect(screen.queryByText(/"ci-2"/)).toBeNull();
    await user.click(
      screen.getByRole('button', { name: 'Details of entry 2' }),
    );
    expect(await screen.findByText(/"name": "ci-2"/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('key.revoke')).toBeInTheDocument();
    expect(screen.getByText('End of the audit trail')).toBeInTheDocument();
    expect(queries).toEqual([{ limit: '50' }, { limit: '50', cursor: '2' }]);
  });

  it('keeps the entries read when the next page fails, and says why', async () => {
    serve();
    server.use(
      http.get(url('/admin/audit'), ({ request }) =>
        new URL(request.url).searchParams.get('cursor') === '2'
          ? fail(503, 'the database did not answer')
          : HttpResponse.json({ items: [entry(2)], nextCursor: '2' }),
      ),
    );
    await render();
    await screen.findByText('key-2', { exact: false });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(
      await screen.findByText('the database did not answer'),
    ).toBeInTheDocument();
    expect(screen.getByText('key.create')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Load more' })).toBeEnabled();
  });

  it('filters by actor, action and outcome, and clears', async () => {
    const queries = serve();
    await render();
    await screen.findByText('subscription.approve');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Actor'), 'user:default/bob');
    await user.type(screen.getByLabelText('Action'), 'subscription.approve');
    await user.selectOptions(screen.getByLabelText('Outcome'), 'denied');
    await user.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() =>
      expect(queries.at(-1)).toEqual({
        limit: '50',
        actor: 'user:default/bob',
        action: 'subscription.approve',
        outcome: 'denied',
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(screen.getByLabelText('Actor')).toHaveValue('');
    expect(queries).toHaveLength(2);
  });

  it('says when nothing matches', async () => {
    serve();
    server.use(
      http.get(url('/admin/audit'), () => HttpResponse.json({ items: [] })),
    );
    await render();
    expect(await screen.findByText('No audit entries')).toBeInTheDocument();
  });

  it('shows a spinner, then the backend error', async () => {
    serve();
    await expectSpinnerThenError({
      server,
      route: '/admin/audit',
      loadingLabel: 'Loading the audit trail…',
      render,
      status: 400,
      message:
        "Invalid query: outcome must be one of 'success', 'failure', 'denied'",
    });
  });
});
