import { Entity } from '@backstage/catalog-model';
import { call } from './__testUtils__/keyTestUtils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  capturingNotificationService,
  capturingRootLogger,
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
  TEST_USERS,
} from '../testUtils';

jest.setTimeout(180_000);

const ALICE = 'user:default/alice'; // admin
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const MALLORY = 'user:default/mallory';
const PAYMENTS = 'group:default/payments';
const OUTSIDERS = 'group:default/outsiders';
const MODEL = 'gpt-4o';
const MODEL2 = 'gpt-4o-mini';

function group(name: string, members: string[], annotations = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'team', children: [] },
    relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
  };
}

function today(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

/** LiteLLM's (the emulator's) own totals of its daily user rollup. */
function emulatorTotals(b: LiteMaaSTestBackend, from: string, to: string) {
  const t = { spend: 0, prompt: 0, completion: 0, ok: 0, failed: 0 };
  for (const r of (b.emulator.state as any).dailyUser.rows.values()) {
    if (r.date < from || r.date > to) continue;
    t.spend += r.spend;
    t.prompt += r.prompt_tokens;
    t.completion += r.completion_tokens;
    t.ok += r.successful_requests;
    t.failed += r.failed_requests;
  }
  return t;
}

function expectTotalsMatch(
  totals: any,
  expected: ReturnType<typeof emulatorTotals>,
) {
  expect(Math.round(totals.spend * 100)).toBe(Math.round(expected.spend * 100));
  expect(totals.spend).toBeCloseTo(expected.spend, 6);
  expect(totals.promptTokens).toBe(expected.prompt);
  expect(totals.completionTokens).toBe(expected.completion);
  expect(totals.successfulRequests).toBe(expected.ok);
  expect(totals.failedRequests).toBe(expected.failed);
}

describe('teams, usage and alerts', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;
  let sent: NotificationSendOptions[] = [];
  let entities: Entity[];
  let catalogDown = false;
  let logs: string[] = [];
  /** The catalog as of `entities` at each call (so a group can be deleted), or down. */
  const liveCatalog = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => {
      const forward =
        (method: string) =>
        async (...args: unknown[]) => {
          if (catalogDown) throw new Error('connect ECONNREFUSED catalog');
          const catalog = catalogServiceMock({ entities }) as any;
          return catalog[method](...args);
        };
      const methods = Object.getOwnPropertyNames(
        Object.getPrototypeOf(catalogServiceMock()),
      ).filter(m => m !== 'constructor');
      return Object.fromEntries(
        methods.map(m => [m, forward(m)]),
      ) as unknown as CatalogService;
    },
  });
  const savedCarol = TEST_USERS[CAROL];

  afterEach(async () => {
    TEST_USERS[CAROL] = savedCarol;
    catalogDown = false;
    await backend?.stop();
    backend = undefined;
  });

  async function start(
    databaseId: Parameters<typeof databases.init>[0],
    config: Record<string, unknown> = {},
  ) {
    sent = [];
    logs = [];
    entities = [
      group('payments', [BOB, CAROL]),
      group('outsiders', [MALLORY]),
      group('data', [], {
        'litemaas.io/budget': '50',
        'litemaas.io/budget-period': 'weekly',
        'litemaas.io/allowed-models': `${MODEL}, ${MODEL2}`,
      }),
    ];
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId,
      config: { usage: { finalizeAfterMinutes: 0 }, ...config },
      features: [
        liveCatalog,
        capturingNotificationService(sent),
        capturingRootLogger(logs),
      ],
    });
    const b = backend;
    const res = await call(b, 'post', '/admin/models/sync', ALICE);
    expect(res.status).toBe(200);
    return b;
  }

  async function chat(b: LiteMaaSTestBackend, secret: string, text: string) {
    const res = await fetch(`${b.emulator.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: MODEL,
        messages: [{ role: 'user', content: text }],
      }),
    });
    return res.status;
  }

  it.each(databases.eachSupportedId())(
    'runs a team end to end: enable, team key, usage equal to LiteLLM, one alert, member removal, on %p',
    async databaseId => {
      const b = await start(databaseId);
      const enc = encodeURIComponent;

      // Not enabled yet: nobody sees it.
      expect(
        (await call(b, 'get', `/teams/${enc(PAYMENTS)}`, BOB)).status,
      ).toBe(404);
      // Only admins enable teams.
      expect(
        (await call(b, 'post', '/admin/teams', BOB, { group: PAYMENTS }))
          .status,
      ).toBe(403);
      expect(
        (
          await call(b, 'post', '/admin/teams', ALICE, {
            group: 'group:default/ghosts',
          })
        ).status,
      ).toBe(404);
      expect(
        (await call(b, 'post', '/admin/teams', ALICE, { group: 'nope' }))
          .status,
      ).toBe(400);

      const enabled = await call(b, 'post', '/admin/teams', ALICE, {
        group: PAYMENTS,
        maxBudget: 100,
        budgetDuration: 'monthly',
        tpmLimit: 100000,
      });
      expect(enabled.status).toBe(201);
      expect(enabled.body).toMatchObject({
        ref: PAYMENTS,
        litellmTeamId: PAYMENTS,
        maxBudget: 100,
        budgetDuration: '1mo',
        members: [BOB, CAROL],
        catalogManaged: [],
      });
      expect(
        (await call(b, 'post', '/admin/teams', ALICE, { group: PAYMENTS }))
          .status,
      ).toBe(409);
      const litellmTeam = (b.emulator.state as any).teams.get(PAYMENTS);
      expect(litellmTeam.members_with_roles.map((m: any) => m.user_id)).toEqual(
        expect.arrayContaining([BOB, CAROL]),
      );

      // Members see it, others get 404 for details and usage.
      const mine = await call(b, 'get', '/teams', BOB);
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((t: any) => t.ref)).toEqual([PAYMENTS]);
      expect(mine.body.items[0]).toMatchObject({ spend: 0, maxBudget: 100 });
      expect((await call(b, 'get', '/teams', MALLORY)).body.items).toEqual([]);
      expect(
        (await call(b, 'get', `/teams/${enc(PAYMENTS)}`, MALLORY)).status,
      ).toBe(404);
      expect(
        (
          await call(
            b,
            'get',
            `/usage?from=${today(-1)}&to=${today()}&team=${enc(PAYMENTS)}`,
            MALLORY,
          )
        ).status,
      ).toBe(404);

      // The group subscribes, a member mints a team key; it joins the LiteLLM team.
      expect(
        (
          await call(b, 'post', '/subscriptions', BOB, {
            subject: PAYMENTS,
            modelId: MODEL,
          })
        ).status,
      ).toBe(201);
      const teamKey = await call(b, 'post', '/keys', BOB, {
        name: 'payments shared',
        models: [MODEL],
        owner: PAYMENTS,
      });
      expect(teamKey.status).toBe(201);
      const litellmKey = (b.emulator.state as any).keys.get(
        teamKey.body.litellmKeyHash,
      );
      expect(litellmKey.team_id).toBe(PAYMENTS);
      // Carol personally, for the privacy checks.
      await call(b, 'post', '/subscriptions', CAROL, { modelId: MODEL });
      const carolKey = await call(b, 'post', '/keys', CAROL, {
        name: 'carol own',
        models: [MODEL],
      });
      expect(carolKey.status).toBe(201);

      // Two members spend through the team key, carol through her own too.
      expect(await chat(b, teamKey.body.secret, 'bob asks a question')).toBe(
        200,
      );
      expect(
        await chat(b, teamKey.body.secret, 'carol asks a longer question here'),
      ).toBe(200);
      expect(await chat(b, carolKey.body.secret, 'private')).toBe(200);

      const sync = await call(b, 'post', '/admin/usage/sync', ALICE);
      expect(sync.status).toBe(200);
      expect(sync.body.rows).toBeGreaterThan(0);
      expect((await call(b, 'post', '/admin/usage/sync', BOB)).status).toBe(
        403,
      );

      const from = today(-2);
      const to = today();
      const all = await call(
        b,
        'get',
        `/admin/usage?from=${from}&to=${to}&groupBy=model`,
        ALICE,
      );
      expect(all.status).toBe(200);
      expectTotalsMatch(all.body.totals, emulatorTotals(b, from, to));
      expect(all.body.lastSyncedAt).toEqual(expect.any(String));
      expect(all.body.totals.requests).toBe(3);

      // The team's usage: the team key only, seen by members.
      const team = await call(
        b,
        'get',
        `/usage?from=${from}&to=${to}&groupBy=key&team=${enc(PAYMENTS)}`,
        BOB,
      );
      expect(team.status).toBe(200);
      expect(team.body.rows).toHaveLength(1);
      expect(team.body.rows[0]).toMatchObject({
        group: teamKey.body.id,
        label: 'payments shared',
        requests: 2,
      });
      const teamSpend = (b.emulator.state as any).teams.get(PAYMENTS).spend;
      expect(team.body.totals.spend).toBeCloseTo(teamSpend, 9);

      // Bob never sees carol's personal rows, whatever he asks: his views hold only the
      // team key's 2 requests, and carol's own refs answer 404.
      const bobSees = async (q: string) =>
        call(b, 'get', `/usage?from=${from}&to=${to}&${q}`, BOB);
      const teamOnly = (row: string | null, label: string | null) => ({
        rows: [expect.objectContaining({ group: row, label, requests: 2 })],
        totals: expect.objectContaining({ requests: 2 }),
      });
      for (const [q, expected] of [
        ['groupBy=user', teamOnly(null, null)], // team key calls carry no user
        ['groupBy=entity', teamOnly(PAYMENTS, null)],
        ['groupBy=key', teamOnly(teamKey.body.id, 'payments shared')],
      ] as const) {
        const res = await bobSees(q);
        expect([q, res.status]).toEqual([q, 200]);
        expect(res.body.rows).toHaveLength(1);
        expect(res.body).toMatchObject(expected);
      }
      const carolAsked = await bobSees(`entity=${enc(CAROL)}`);
      expect(carolAsked.status).toBe(404);
      expect(carolAsked.body.error.message).toBe(`'${CAROL}' not found`);
      const carolKeyAsked = await bobSees(`key=${carolKey.body.id}`);
      expect(carolKeyAsked.status).toBe(404);
      expect(carolKeyAsked.body.error.message).toBe(
        `Key '${carolKey.body.id}' not found`,
      );
      // One key's usage (found through its owner: the rollup has no key index), for the
      // admin and for those who may see it.
      for (const [who, path, key, requests] of [
        [ALICE, '/admin/usage', teamKey.body.id, 2],
        [ALICE, '/admin/usage', carolKey.body.id, 1],
        [BOB, '/usage', teamKey.body.id, 2],
        [CAROL, '/usage', carolKey.body.id, 1],
      ] as const) {
        const res = await call(
          b,
          'get',
          `${path}?from=${from}&to=${to}&groupBy=key&key=${key}`,
          who,
        );
        expect([path, key, res.status, res.body.rows]).toEqual([
          path,
          key,
          200,
          [expect.objectContaining({ group: key, requests })],
        ]);
      }
      // Without from and to: the last 30 days, today included.
      const lastDays = await call(b, 'get', '/usage?groupBy=key', BOB);
      expect(lastDays.status).toBe(200);
      expect(lastDays.body).toMatchObject({ from: today(-29), to: today() });
      expect(lastDays.body.totals.requests).toBeGreaterThan(0);
      const malloryUsage = await call(
        b,
        'get',
        `/usage?from=${from}&to=${to}`,
        MALLORY,
      );
      expect(malloryUsage.body.rows).toEqual([]);
      expect(malloryUsage.body.totals.requests).toBe(0);
      expect(
        (await call(b, 'get', `/admin/usage?from=${from}&to=${to}`, BOB))
          .status,
      ).toBe(403);

      // CSV export, streamed, only the caller's rows.
      const csv = await call(
        b,
        'get',
        `/usage/export.csv?from=${from}&to=${to}`,
        CAROL,
      );
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toMatch(/^date,key_id,owner_ref/);
      expect(lines).toHaveLength(3); // header, carol's key, the team key
      expect(csv.text).not.toContain(BOB);

      // Budget at ~85%: one alert, not one per sync.
      const spend = (b.emulator.state as any).teams.get(PAYMENTS).spend;
      expect(
        (
          await call(b, 'patch', `/admin/teams/${enc(PAYMENTS)}`, ALICE, {
            maxBudget: spend / 0.85,
          })
        ).status,
      ).toBe(200);
      await call(b, 'post', '/admin/usage/sync', ALICE);
      await call(b, 'post', '/admin/usage/sync', ALICE);
      await call(b, 'post', '/admin/usage/sync', ALICE);
      const budgetAlerts = sent.filter(n =>
        String(n.payload.scope).startsWith('litemaas:budget-80:'),
      );
      expect(budgetAlerts).toHaveLength(1);
      expect(budgetAlerts[0].recipients).toEqual({
        type: 'entity',
        entityRef: [PAYMENTS],
      });
      expect(budgetAlerts[0].payload.severity).toBe('high');

      // Carol leaves the group: LiteLLM membership and portal access follow.
      const payments = entities.find(e => e.metadata.name === 'payments')!;
      payments.relations = [{ type: 'hasMember', targetRef: BOB }];
      const resync = await call(b, 'post', '/admin/teams/sync', ALICE);
      expect(resync.body).toMatchObject({ removed: 1 });
      expect(
        (b.emulator.state as any).teams
          .get(PAYMENTS)
          .members_with_roles.map((m: any) => m.user_id),
      ).not.toContain(CAROL);
      // Her sign-in still lists the group: the synced membership denies the team anyway.
      expect(
        (await call(b, 'get', `/teams/${enc(PAYMENTS)}`, CAROL)).status,
      ).toBe(404);
      TEST_USERS[CAROL] = [];
      expect(
        (await call(b, 'get', `/keys/${teamKey.body.id}`, CAROL)).status,
      ).toBe(404);
      expect(
        (await call(b, 'get', `/keys/${teamKey.body.id}`, BOB)).status,
      ).toBe(200);
    },
  );

  it.each(databases.eachSupportedId())(
    "counts as a member whom the catalog lists before the team's next sync (joining on first use), never whom only the sign-in lists, on %p",
    async databaseId => {
      const b = await start(databaseId);
      const enc = encodeURIComponent;
      const enabled = await call(b, 'post', '/admin/teams', ALICE, {
        group: PAYMENTS,
      });
      expect(enabled.body.members).toEqual([BOB, CAROL]);
      const savedMallory = TEST_USERS[MALLORY];
      const savedAlice = TEST_USERS[ALICE];
      try {
        // Mallory joins payments in the catalog and in her sign-in; no sync has run.
        entities = entities.map(e =>
          e.metadata.name === 'payments'
            ? group('payments', [BOB, CAROL, MALLORY])
            : e,
        );
        TEST_USERS[MALLORY] = [OUTSIDERS, PAYMENTS];
        // Alice's sign-in lists payments too, but the catalog does not.
        TEST_USERS[ALICE] = [...savedAlice, PAYMENTS];
        const teamsOf = async (who: string) =>
          (await call(b, 'get', '/teams', who)).body.items.map(
            (t: { ref: string }) => t.ref,
          );
        const teamUsage = async (who: string) =>
          (
            await call(
              b,
              'get',
              `/usage?from=${today(-1)}&to=${today()}&team=${enc(PAYMENTS)}`,
              who,
            )
          ).status;
        expect(await teamsOf(MALLORY)).toEqual([PAYMENTS]);
        expect(await teamUsage(MALLORY)).toBe(200);
        expect(
          (b.emulator.state as any).teams
            .get(PAYMENTS)
            .members_with_roles.map((m: { user_id: string }) => m.user_id),
        ).toContain(MALLORY);
        expect(await teamsOf(BOB)).toEqual([PAYMENTS]);
        expect(await teamsOf(ALICE)).toEqual([]);
        expect(await teamUsage(ALICE)).toBe(404);
      } finally {
        TEST_USERS[MALLORY] = savedMallory;
        TEST_USERS[ALICE] = savedAlice;
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'applies budgets as code from catalog annotations, and the API cannot override them, on %p',
    async databaseId => {
      const b = await start(databaseId);
      const DATA = 'group:default/data';
      const res = await call(b, 'post', '/admin/teams', ALICE, { group: DATA });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        maxBudget: 50,
        budgetDuration: '7d',
        allowedModels: [MODEL, MODEL2],
        catalogManaged: ['allowedModels', 'budgetDuration', 'maxBudget'],
      });
      const litellmTeam = (b.emulator.state as any).teams.get(DATA);
      expect(litellmTeam.max_budget).toBe(50);
      expect(litellmTeam.models).toEqual([MODEL, MODEL2]);
      const enc = encodeURIComponent(DATA);
      expect(
        (await call(b, 'patch', `/admin/teams/${enc}`, ALICE, { maxBudget: 5 }))
          .status,
      ).toBe(409);
      expect(
        (await call(b, 'patch', `/admin/teams/${enc}`, ALICE, { rpmLimit: 10 }))
          .status,
      ).toBe(200);
      // The annotation changes in Git: the next sync applies it.
      entities.find(e => e.metadata.name === 'data')!.metadata.annotations![
        'litemaas.io/budget'
      ] = '75';
      await call(b, 'post', '/admin/teams/sync', ALICE);
      const after = await call(b, 'get', '/admin/teams', ALICE);
      expect(after.body.items[0]).toMatchObject({
        maxBudget: 75,
        rpmLimit: 10,
      });
      expect((b.emulator.state as any).teams.get(DATA).max_budget).toBe(75);
      expect((await call(b, 'get', '/admin/teams', BOB)).status).toBe(403);
      expect(
        (
          await call(b, 'post', '/admin/teams', ALICE, {
            group: OUTSIDERS,
            maxBudget: -1,
          })
        ).status,
      ).toBe(400);
    },
  );

  it.each(databases.eachSupportedId())(
    // Exactness on a small year of rows; the 1,000,000-row sync and its timing are
    // bench/usage-sync.mjs.
    'syncs 5,000 seeded spend rows over 365 days with totals equal to LiteLLM, on %p',
    async databaseId => {
      const b = await start(databaseId, {
        // Small pages in long windows, so each window takes several pages, read at once,
        // as the big sync's do.
        usage: {
          finalizeAfterMinutes: 0,
          backfillDays: 366,
          pageSize: 100,
          windowDays: 31,
        },
      });
      b.emulator.seedSpend({ rows: 5_000, days: 365 });
      const sync = await call(b, 'post', '/admin/usage/sync', ALICE);
      expect(sync.status).toBe(200);
      // 12 windows of 31 days, most of them more than one page.
      expect(sync.body.pages).toBeGreaterThan(24);
      const from = today(-366);
      const to = today();
      const res = await call(
        b,
        'get',
        `/admin/usage?from=${today(-365)}&to=${to}&groupBy=day`,
        ALICE,
      );
      expect(res.status).toBe(200);
      expectTotalsMatch(res.body.totals, emulatorTotals(b, today(-365), to));
      expect(res.body.totals.requests).toBe(5_000);
      // Seeded keys are unknown to LiteMaaS: kept as unattributed, never dropped.
      const byKey = await call(
        b,
        'get',
        `/admin/usage?from=${today(-365)}&to=${to}&groupBy=key`,
        ALICE,
      );
      expect(byKey.body.rows).toEqual([
        expect.objectContaining({ group: null, requests: 5_000 }),
      ]);
      // A second run only refreshes today; a re-sync of a range is an admin action.
      const again = await call(b, 'post', '/admin/usage/sync', ALICE);
      expect(again.body.days).toBe(1);
      const resync = await call(b, 'post', '/admin/usage/resync', ALICE, {
        from,
        to: today(-300),
      });
      expect(resync.status).toBe(200);
      expect(resync.body.days).toBe(67);
      const final = await call(
        b,
        'get',
        `/admin/usage?from=${today(-365)}&to=${to}`,
        ALICE,
      );
      expectTotalsMatch(final.body.totals, emulatorTotals(b, today(-365), to));
    },
  );

  it.each(databases.eachSupportedId())(
    'refreshes a past day until the finalisation delay has passed, then keeps it, on %p',
    async databaseId => {
      // The default delay: a day is final two hours after it ended.
      const b = await start(databaseId, { usage: { backfillDays: 3 } });
      const HOUR = 3_600_000;
      const day = (offset: number) =>
        new Date(b.now().getTime() + offset * 86_400_000)
          .toISOString()
          .slice(0, 10);
      // One hour after a midnight: yesterday ended an hour ago.
      const midnight = new Date(b.now()).setUTCHours(24, 0, 0, 0);
      b.advanceClock(midnight + HOUR - b.now().getTime());
      const yesterday = day(-1);
      const synced = async () => {
        const res = await call(b, 'post', '/admin/usage/sync', ALICE);
        expect(res.status).toBe(200);
        return res.body.days;
      };
      const stored = async () =>
        (
          await call(
            b,
            'get',
            `/admin/usage?from=${yesterday}&to=${yesterday}`,
            ALICE,
          )
        ).body.totals;
      const lateSpend = (seed: number) =>
        b.emulator.seedSpend({ rows: 40, days: 1, seed });

      b.emulator.seedSpend({ rows: 200, days: 3 });
      // The three past days and today; the two older days are final from now on.
      expect(await synced()).toBe(4);
      expectTotalsMatch(
        await stored(),
        emulatorTotals(b, yesterday, yesterday),
      );

      // LiteLLM still books spend on yesterday: within the delay it is picked up.
      lateSpend(1);
      expect(await synced()).toBe(2);
      expectTotalsMatch(
        await stored(),
        emulatorTotals(b, yesterday, yesterday),
      );

      // Two hours after midnight the day is read a last time and becomes final.
      b.advanceClock(HOUR);
      lateSpend(2);
      expect(await synced()).toBe(2);
      const final = emulatorTotals(b, yesterday, yesterday);
      expectTotalsMatch(await stored(), final);

      // Spend booked later is not read again: only today is synced.
      lateSpend(3);
      expect(await synced()).toBe(1);
      expect(emulatorTotals(b, yesterday, yesterday).ok).toBeGreaterThan(
        final.ok,
      );
      expectTotalsMatch(await stored(), final);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a team as it was while the catalog is down, and empties it when its group is deleted, on %p',
    async databaseId => {
      const b = await start(databaseId);
      const enc = encodeURIComponent;
      const members = () =>
        (b.emulator.state as any).teams
          .get(PAYMENTS)
          .members_with_roles.map((m: any) => m.user_id)
          // LiteLLM lists the admin that created the team too.
          .filter((id: string) => id.startsWith('user:'))
          .sort();
      const warnings = () =>
        logs
          .map(line => JSON.parse(line))
          .filter(l => l.level === 'warn')
          .map(l => ({ message: l.message, meta: l.meta }));
      expect(
        (
          await call(b, 'post', '/admin/teams', ALICE, {
            group: PAYMENTS,
            maxBudget: 40,
          })
        ).status,
      ).toBe(201);
      await call(b, 'post', '/subscriptions', BOB, {
        subject: PAYMENTS,
        modelId: MODEL,
      });
      const teamKey = await call(b, 'post', '/keys', BOB, {
        name: 'payments shared',
        models: [MODEL],
        owner: PAYMENTS,
      });
      expect(teamKey.status).toBe(201);
      expect(members()).toEqual([BOB, CAROL]);

      // The catalog does not answer: nothing changes, the failure is logged, and the
      // admin's "sync now" says which team could not be synced and why (503).
      catalogDown = true;
      logs.length = 0;
      const down = await call(b, 'post', '/admin/teams/sync', ALICE);
      expect(down.status).toBe(503);
      expect(down.body.error.message).toBe(
        `Could not sync ${PAYMENTS} (The catalog could not be asked about ${PAYMENTS}: connect ECONNREFUSED catalog); 0 team(s) synced; the scheduled sync tries again`,
      );
      expect(warnings()).toEqual([
        {
          message: 'Could not sync a LiteMaaS team',
          meta: {
            team: PAYMENTS,
            name: 'ServiceUnavailableError',
            message: `The catalog could not be asked about ${PAYMENTS}: connect ECONNREFUSED catalog`,
          },
        },
      ]);
      expect(members()).toEqual([BOB, CAROL]);
      expect(
        (await call(b, 'get', `/teams/${enc(PAYMENTS)}`, BOB)).body,
      ).toMatchObject({ ref: PAYMENTS, maxBudget: 40, members: [BOB, CAROL] });
      catalogDown = false;

      // The group is deleted: its members leave the team in LiteLLM and the portal; the
      // team, its settings and its key stay for an admin to decide about.
      entities = entities.filter(e => e.metadata.name !== 'payments');
      logs.length = 0;
      const gone = await call(b, 'post', '/admin/teams/sync', ALICE);
      expect(gone.body).toEqual({
        teams: 1,
        added: 0,
        removed: 2,
        abandonedTeamsDeleted: 0,
        errors: 0,
      });
      expect(warnings()).toEqual([
        {
          message:
            'A LiteMaaS team group is missing from the catalog; removing its members',
          meta: { team: PAYMENTS },
        },
      ]);
      expect(members()).toEqual([]);
      expect(
        (await call(b, 'get', `/teams/${enc(PAYMENTS)}`, BOB)).status,
      ).toBe(404);
      expect(
        (await call(b, 'get', `/teams/${enc(PAYMENTS)}`, ALICE)).body,
      ).toMatchObject({ ref: PAYMENTS, maxBudget: 40, members: [] });
      const key = await call(b, 'get', `/keys/${teamKey.body.id}`, ALICE);
      expect(key.body).toMatchObject({ ownerRef: PAYMENTS, status: 'active' });
      expect(
        (b.emulator.state as any).keys.get(teamKey.body.litellmKeyHash),
      ).toMatchObject({ team_id: PAYMENTS });
    },
  );
});
