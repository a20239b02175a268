import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import {
  GRANITE,
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
const BOB = 'user:default/bob';

const pending = () => [
  subscription({
    id: 'req-1',
    subjectRef: BOB,
    modelId: GRANITE,
    status: 'pending',
    justification: 'Ranking experiments',
  }),
  subscription({
    id: 'req-2',
    subjectRef: 'group:default/search',
    modelId: 'claude-3-5-sonnet',
    status: 'pending',
    justification: 'Support summaries',
  }),
];

/** Serves the lists by status; returns the decisions the page sent. */
function serve(
  byStatus: Record<string, ReturnType<typeof pending>> = { pending: pending() },
  modelList = models(),
) {
  const decisions: { id: string; decision: string; body: unknown }[] = [];
  const asked: string[] = [];
  server.use(
    http.get(url('/models'), () =>
      HttpResponse.json({ items: modelList, total: modelList.length }),
    ),
    http.get(url('/admin/subscriptions'), ({ request }) => {
      const status = new URL(request.url).searchParams.get('status')!;
      asked.push(status);
      const items = byStatus[status] ?? [];
      return HttpResponse.json({ items, total: items.length });
    }),
    http.post(
      url('/admin/subscriptions/:id/:decision'),
      async ({ params, request }) => {
        decisions.push({
          id: params.id as string,
          decision: params.decision as string,
          body: await request.json(),
        });
        return HttpResponse.json(
          subscription({
            id: params.id as string,
            status: params.decision === 'approve' ? 'active' : 'denied',
          }),
        );
      },
    ),
  );
  return { decisions, asked };
}

const render = () => renderLiteMaaS(<LiteMaaSPage />, { path: '/approvals' });

describe('ApprovalsPage', () => {
  registerMswTestHooks(server);

  it('lists the pending requests with who asked and why', async () => {
    const { asked } = serve();
    await render();
    const granite = (
      await screen.findByRole('link', { name: GRANITE })
    ).closest('tr')!;
    expect(within(granite).getByText('bob')).toBeInTheDocument();
    expect(
      within(granite).getByText('Ranking experiments'),
    ).toBeInTheDocument();
    expect(within(granite).getByText('Nov 20, 2026')).toBeInTheDocument();
    const team = screen
      .getByRole('link', { name: 'claude-3-5-sonnet' })
      .closest('tr')!;
    expect(within(team).getByText('Team search')).toBeInTheDocument();
    expect(asked).toEqual(['pending']);
    expect(screen.getByRole('link', { name: 'Approvals' })).toBeInTheDocument();
  });

  it('works with no query cache around it, as the app mounts it', async () => {
    serve();
    await renderLiteMaaS(<LiteMaaSPage />, {
      path: '/approvals',
      ownQueryCache: true,
    });
    expect(await screen.findByRole('link', { name: GRANITE })).toBeVisible();
    expect(screen.getByRole('link', { name: 'Approvals' })).toBeInTheDocument();
  });

  it('says when the queue holds more requests than it shows', async () => {
    serve();
    server.use(
      http.get(url('/admin/subscriptions'), () =>
        HttpResponse.json({ items: pending(), total: 230 }),
      ),
    );
    await render();
    expect(
      await screen.findByText(
        'Showing the first 2 of 230. Decide these to see the rest.',
      ),
    ).toBeInTheDocument();
  });

  it('approves until a date with a note', async () => {
    const { decisions } = serve();
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: `Approve bob’s request for ${GRANITE}`,
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: `Approve access to ${GRANITE}?`,
    });
    await user.type(
      within(dialog).getByLabelText('Access until (optional)'),
      '2099-01-31',
    );
    await user.type(
      within(dialog).getByLabelText('Note to the requester (optional)'),
      'For the quarter',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() =>
      expect(decisions).toEqual([
        {
          id: 'req-1',
          decision: 'approve',
          body: {
            expiresAt: '2099-01-31T23:59:59.000Z',
            reason: 'For the quarter',
          },
        },
      ]),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('refuses a past end date inline, before asking the backend', async () => {
    const { decisions } = serve();
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: `Approve bob’s request for ${GRANITE}`,
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByLabelText('Access until (optional)'),
      '2020-01-01',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(
      await within(dialog).findByText('Pick a date after today.'),
    ).toBeInTheDocument();
    expect(decisions).toEqual([]);
  });

  it('denies only with a reason, which it sends', async () => {
    const { decisions } = serve();
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: 'Deny Team search’s request for claude-3-5-sonnet',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Deny access to claude-3-5-sonnet?',
    });
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    expect(
      await within(dialog).findByText('A reason is required.'),
    ).toBeInTheDocument();
    expect(decisions).toEqual([]);
    await user.type(
      within(dialog).getByLabelText(/^Reason/),
      'Use gpt-4o-mini for summaries',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    await waitFor(() =>
      expect(decisions).toEqual([
        {
          id: 'req-2',
          decision: 'deny',
          body: { reason: 'Use gpt-4o-mini for summaries' },
        },
      ]),
    );
  });

  it('shows the backend refusal of a decision in the dialog', async () => {
    serve();
    server.use(
      http.post(url('/admin/subscriptions/:id/approve'), () =>
        fail(
          409,
          "Subscription 'req-1' is active; only pending requests can be approved",
          'ConflictError',
        ),
      ),
    );
    await render();
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', {
        name: `Approve bob’s request for ${GRANITE}`,
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(
      await within(dialog).findByText(/only pending requests can be approved/),
    ).toBeInTheDocument();
  });

  it('shows decided grants with who decided, and withdraws an active one', async () => {
    const { decisions } = serve({
      pending: [],
      active: [
        subscription({
          id: 'grant-1',
          subjectRef: TEAM,
          modelId: GRANITE,
          decidedBy: 'user:default/dave',
          decidedAt: '2026-11-22T10:00:00.000Z',
          reason: 'For the quarter',
        }),
      ],
    });
    await render();
    expect(
      await screen.findByText('No request is waiting'),
    ).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Approved' }));
    const row = (await screen.findByRole('link', { name: GRANITE })).closest(
      'tr',
    )!;
    expect(within(row).getByText('dave, Nov 22, 2026')).toBeInTheDocument();
    expect(within(row).getByText('For the quarter')).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: /^Approve/ })).toBeNull();
    await user.click(
      within(row).getByRole('button', {
        name: `Withdraw Team payments’s access to ${GRANITE}`,
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: `Withdraw access to ${GRANITE}?`,
    });
    await user.type(within(dialog).getByLabelText(/^Reason/), 'Project over');
    await user.click(
      within(dialog).getByRole('button', { name: 'Withdraw access' }),
    );
    await waitFor(() =>
      expect(decisions).toEqual([
        { id: 'grant-1', decision: 'deny', body: { reason: 'Project over' } },
      ]),
    );
  });

  it('shows a spinner, then the backend error', async () => {
    serve();
    await expectSpinnerThenError({
      server,
      route: '/admin/subscriptions',
      loadingLabel: 'Loading access requests…',
      render,
      status: 503,
      message: 'LiteLLM is unavailable',
    });
  });
});
