import { screen, within } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { LiteMaaSPage } from '../../LiteMaaSPage';
import { apiKey, config, TEAM, team, USER } from '../../__testUtils__/fixtures';
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
const PLATFORM = 'group:default/platform-team';

const report = (groupBy: string, rows: [string, number, number][]) => ({
  from: '2026-11-01',
  to: '2026-11-30',
  groupBy,
  currency: 'USD',
  rows: rows.map(([group, spend, requests]) => ({
    group,
    label: null,
    requests,
    successfulRequests: requests,
    failedRequests: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    spend,
  })),
  totals: {
    requests: 0,
    successfulRequests: 0,
    failedRequests: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    spend: 0,
  },
  lastSyncedAt: null,
});

function serve(
  teams = [
    team(),
    team({
      ref: PLATFORM,
      displayName: null,
      maxBudget: null,
      spend: 4,
      catalogManaged: [],
      members: [USER],
    }),
  ],
) {
  const asked: string[] = [];
  server.use(
    http.get(url('/config'), () => HttpResponse.json(config())),
    http.get(url('/teams'), () => HttpResponse.json({ items: teams })),
    http.get(url('/keys'), () =>
      HttpResponse.json({
        items: [
          apiKey({ name: 'personal key' }),
          apiKey({ id: 'k2', name: 'payments bot', ownerRef: TEAM }),
        ],
      }),
    ),
    http.get(url('/usage'), ({ request }) => {
      const params = new URL(request.url).searchParams;
      asked.push(`${params.get('team')}:${params.get('groupBy')}`);
      return HttpResponse.json(
        params.get('groupBy') === 'model'
          ? report('model', [['gpt-4o', 9, 12]])
          : report('user', [[USER, 9, 12]]),
      );
    }),
  );
  return asked;
}

const render = () => renderLiteMaaS(<LiteMaaSPage />, { path: '/teams' });

const panelOf = async (name: string) =>
  (await screen.findByRole('heading', { name, level: 2 })).closest(
    '.pf-v6-c-card',
  ) as HTMLElement;

describe('TeamsPage', () => {
  registerMswTestHooks(server);

  it('shows each team with budget and its source, spend, members, usage and keys', async () => {
    const asked = serve();
    await render();
    const payments = await panelOf('Payments');
    expect(within(payments).getByText('$500.00 · Monthly')).toBeInTheDocument();
    expect(
      within(payments).getByText('$120.00 of $500.00'),
    ).toBeInTheDocument();
    expect(
      within(payments).getByText("the group's catalog annotations"),
    ).toBeInTheDocument();
    expect(
      within(payments).getByRole('link', { name: 'alice' }),
    ).toHaveAttribute('href', '/catalog/default/user/alice');
    expect(
      within(payments).getByRole('link', {
        name: 'Open the group in the catalog',
      }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(within(payments).getByText('payments bot')).toBeInTheDocument();
    expect(within(payments).queryByText('personal key')).toBeNull();
    const top = within(payments).getByRole('heading', {
      name: 'Top models (last 30 days)',
    }).parentElement!;
    await within(top).findByText('gpt-4o');
    expect(
      within(top)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['gpt-4o $9.00 · 12 requests']);

    const platform = await panelOf('platform-team');
    expect(within(platform).getByText('No team budget')).toBeInTheDocument();
    expect(within(platform).queryByText('Budget set by')).toBeNull();
    expect(
      within(platform).getByText('$4.00 spent, no budget'),
    ).toBeInTheDocument();
    expect(
      within(platform).getByText('The team has no keys yet.'),
    ).toBeInTheDocument();
    expect(asked).toEqual(
      expect.arrayContaining([
        `${TEAM}:model`,
        `${TEAM}:user`,
        `${PLATFORM}:model`,
      ]),
    );
  });

  it('says when I am in no team', async () => {
    serve([]);
    await render();
    expect(
      await screen.findByRole('heading', {
        name: 'You are in no LiteMaaS team',
      }),
    ).toBeInTheDocument();
  });

  it('shows loading and then the backend error', async () => {
    serve();
    server.use(http.get(url('/teams'), never));
    const first = await render();
    expect(
      await screen.findByRole('progressbar', { name: 'Loading teams…' }),
    ).toBeInTheDocument();
    first.unmount();
    server.use(
      http.get(url('/teams'), () => fail(500, 'The database is unreachable')),
    );
    await render();
    expect(
      await screen.findByText('The database is unreachable'),
    ).toBeInTheDocument();
  });
});
