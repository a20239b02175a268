import { createServiceFactory } from '@backstage/backend-plugin-api';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import { isDeepStrictEqual } from 'node:util';
import { KeyStore } from '../database/KeyStore';
import { KeyReconcileReport, PENDING_TIMEOUT_MS } from '../keys/types';
import { DEFAULT_CIRCUIT_BREAKER } from '../litellm/resilience';
import {
  ALICE,
  BOB,
  CAROL,
  chatStatus,
  createTestDatabases,
  LiteMaaSTestBackend,
  managedLiteLLMKeys,
  PAYMENTS,
  SECRET_PATTERN,
  startLiteMaaSTestBackend,
  testOrganizationGroups,
} from '../testUtils';
import type request from 'supertest';
import {
  call,
  eventually,
  SHORT_RETRY_WAITS,
  subscribe,
} from './__testUtils__/keyTestUtils';

/*
 * Issue #17, "Faults": each step that writes to LiteLLM, through its real route, under
 * each fault: LiteLLM down (refusing connections), slow beyond the client's timeout (and
 * doing the call late), answering 5xx, cutting its answer off half-way, and PostgreSQL
 * restarting mid-request. Every cell must answer a clear 503; after the jobs' next run
 * LiteLLM and the database must agree (no orphan on either side) and the same action must
 * succeed with no manual step. The table of step × fault → outcome is printed after the
 * last test.
 *
 * The whole matrix runs on PostgreSQL and SQLite (about 50 s on two busy cores, mostly the
 * slow cells' 1 s client timeout); the restart only on PostgreSQL, SQLite having no
 * server. Each cell gets its own backend (about 0.2 s), so no circuit breaker state or
 * cached user carries over from one cell to the next.
 */

jest.setTimeout(300_000);

const MINI = 'gpt-4o-mini';
const LLAMA = 'llama3.2:3b';
/** The client gives up on a LiteLLM answer after this long (short, so slow cells stay fast). */
const LITELLM_TIMEOUT_MS = 1000;

const FAULTS = ['down', 'slow', '5xx', 'dropped', 'pg restart'] as const;
type FaultName = (typeof FAULTS)[number];

/**
 * The emulator's latency faults wait on this instead of a timer: a slow LiteLLM call is
 * held until the test lets it go (after the client gave up, or once the database is
 * locked for a restart), so no cell waits on a guessed delay.
 */
class HeldCalls {
  #waiting: Array<() => void> = [];
  #arrived: Array<() => void> = [];

  readonly sleep = (_ms: number) =>
    new Promise<void>(resolve => {
      this.#waiting.push(resolve);
      this.#arrived.splice(0).forEach(r => r());
    });

  /** Resolves once at least one call is held. */
  async arrival(): Promise<void> {
    if (this.#waiting.length > 0) return;
    await new Promise<void>(resolve => this.#arrived.push(resolve));
  }

  /** Lets every held call go on; their (late) effects are done when this resolves. */
  async releaseAll(): Promise<void> {
    this.#waiting.splice(0).forEach(r => r());
    // The emulator's handlers keep their state in memory: a macrotask later they are done.
    await new Promise(r => setImmediate(r));
  }
}

interface Ctx {
  b: LiteMaaSTestBackend;
  held: HeldCalls;
  entities: Entity[];
  /** Ids the step's setup made (keys, subscriptions). */
  ids: Record<string, string>;
  secrets: Record<string, string>;
}

interface Step {
  name: string;
  /** The LiteLLM calls the fault hits (every call when LiteLLM is down). */
  paths: string[];
  /** The table the step writes after its LiteLLM call: where the restart catches it. */
  table: string;
  setup(ctx: Ctx): Promise<void>;
  /** The user's action. */
  act(ctx: Ctx): Promise<request.Response>;
  /** The message of its 503 under each fault (`other`: the faults not named). */
  answers: Partial<Record<FaultName, RegExp>> & { other: RegExp };
  /**
   * What the action done again once LiteLLM (or PostgreSQL) is back did: its answer and
   * what the keys and teams it touched now do in LiteLLM.
   */
  observe(ctx: Ctx, res: request.Response): Promise<Record<string, unknown>>;
  /** What {@link Step.observe} says when the action succeeded. */
  recovered: Record<string, unknown>;
  /** Figures the reconciliation report must show after the fault (none by default). */
  reconciled?: Partial<Record<keyof KeyReconcileReport, number>>;
}

const litellmUnavailable = (action: string) =>
  new RegExp(`^The LiteLLM proxy is unavailable, ${action}; try again later$`);
const DATABASE = /^The LiteMaaS database is unavailable; try again later$/;

async function createKey(ctx: Ctx, name: string, models: string[]) {
  const res = await call(ctx.b, 'post', '/keys', BOB, { name, models });
  expect(res.status).toBe(201);
  ctx.ids[name] = res.body.id;
  ctx.secrets[name] = res.body.secret;
  return res.body;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Where LiteLLM and the database disagree: LiteLLM keys of LiteMaaS without a live row,
 * live rows without their LiteLLM key, a pending row, models or blocking that differ;
 * LiteLLM teams of LiteMaaS without a row and the other way round, members or budget
 * that differ. Zero means no orphan on either side.
 */
async function disagreements(b: LiteMaaSTestBackend): Promise<string[]> {
  const out: string[] = [];
  const rows = await new KeyStore(b.knex).listByStatus([
    'pending',
    'active',
    'blocked',
  ]);
  const litellm = new Map(managedLiteLLMKeys(b).map(k => [k.token, k]));
  for (const row of rows) {
    if (row.status === 'pending') out.push(`key ${row.name}: still pending`);
    const key = row.litellmKeyHash && litellm.get(row.litellmKeyHash);
    if (!key) {
      out.push(`key ${row.name}: ${row.status} row, no LiteLLM key`);
      continue;
    }
    litellm.delete(key.token);
    const models = row.models;
    if (!sameSet(key.models, models)) {
      out.push(`key ${row.name}: LiteLLM models ${key.models} ≠ ${models}`);
    }
    if (Boolean(key.blocked) !== (row.status === 'blocked')) {
      out.push(
        `key ${row.name}: LiteLLM blocked=${key.blocked}, ${row.status}`,
      );
    }
  }
  for (const key of litellm.values()) {
    out.push(`LiteLLM key ${key.key_alias}: no live row`);
  }
  const teams = await b.knex('litemaas_teams');
  const litellmTeams = new Map(
    [...(b.emulator.state as any).teams.values()]
      .filter((t: any) => t.metadata?.litemaas_group)
      .map((t: any) => [t.team_id, t]),
  );
  for (const team of teams) {
    const t: any = litellmTeams.get(team.litellm_team_id);
    if (!t) {
      out.push(`team ${team.group_ref}: row, no LiteLLM team`);
      continue;
    }
    litellmTeams.delete(team.litellm_team_id);
    const members = await b
      .knex('litemaas_team_members')
      .where({ group_ref: team.group_ref })
      .pluck('user_ref');
    const litellmMembers = t.members_with_roles
      .map((m: any) => m.user_id)
      .filter((u: string) => u.startsWith('user:'));
    if (!sameSet(members, litellmMembers)) {
      out.push(
        `team ${team.group_ref}: members ${litellmMembers} ≠ ${members}`,
      );
    }
    if ((t.max_budget ?? null) !== (team.max_budget ?? null)) {
      out.push(
        `team ${team.group_ref}: LiteLLM budget ${t.max_budget} ≠ ${team.max_budget}`,
      );
    }
  }
  for (const id of litellmTeams.keys()) {
    out.push(`LiteLLM team ${id}: no row`);
  }
  return out;
}

/** The scheduled jobs, run as an admin's "run now": key reconciliation and team sync. */
async function runJobs(b: LiteMaaSTestBackend) {
  const keys = await call(b, 'post', '/admin/keys/reconcile', ALICE, {});
  expect(keys.status).toBe(200);
  const grace = await call(b, 'post', '/admin/keys/expire-grace', ALICE, {});
  expect(grace.status).toBe(200);
  const teams = await call(b, 'post', '/admin/teams/sync', ALICE);
  expect(teams.status).toBe(200);
  return {
    keys: keys.body,
    graceRevoked: grace.body.revokedKeyIds.length,
    teams: teams.body,
  };
}

function group(name: string, members: string[], annotations = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'team', children: [] },
    relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
  };
}

const enc = encodeURIComponent;

/** The payments team in LiteLLM. */
const litellmTeam = (ctx: Ctx) =>
  (ctx.b.emulator.state as any).teams.get(PAYMENTS) as
    | {
        max_budget: number | null;
        members_with_roles: Array<{ user_id: string }>;
      }
    | undefined;

/** Its members in LiteLLM (LiteLLM's own admin left out), sorted. */
const litellmMembers = (ctx: Ctx) =>
  (litellmTeam(ctx)?.members_with_roles ?? [])
    .map(m => m.user_id)
    .filter(u => u.startsWith('user:'))
    .sort();

/** 'yes', or 'no' and what the repeated action did instead. */
async function recovery(ctx: Ctx, step: Step, res: request.Response) {
  const observed = await step.observe(ctx, res);
  return isDeepStrictEqual(observed, step.recovered)
    ? 'yes'
    : `no: ${JSON.stringify(observed)}`;
}

/** What the jobs' run changed, e.g. `pendingSettled 1, orphansDeleted 1`. */
function repaired(jobs: Awaited<ReturnType<typeof runJobs>>): string {
  const { litellmKeysSeen: _seen, errors: _errors, ...keys } = jobs.keys;
  const { teams: _teams, errors: _teamErrors, ...teams } = jobs.teams;
  const changed = Object.entries({
    ...keys,
    graceRevoked: jobs.graceRevoked,
    ...teams,
  })
    .filter(([, n]) => n)
    .map(([k, n]) => `${k} ${n}`);
  return changed.join(', ') || 'nothing';
}

const STEPS: Step[] = [
  {
    name: 'first key (user joins LiteLLM)',
    paths: ['/user/new'],
    table: 'litemaas_users',
    async setup() {},
    act: ctx =>
      call(ctx.b, 'post', '/keys', BOB, { name: 'first', models: [MINI] }),
    answers: {
      other: litellmUnavailable('the key was not created'),
      'pg restart': DATABASE,
    },
    observe: async (ctx, res) => ({
      status: res.status,
      chat: await chatStatus(ctx.b, res.body.secret, MINI),
      litellmUser: ctx.b.emulator.state.users.has(BOB),
    }),
    recovered: { status: 201, chat: 200, litellmUser: true },
  },
  {
    name: 'key create',
    paths: ['/key/generate'],
    table: 'litemaas_keys',
    async setup(ctx) {
      await createKey(ctx, 'keeper', [MINI]);
    },
    act: ctx =>
      call(ctx.b, 'post', '/keys', BOB, { name: 'new', models: [MINI] }),
    answers: {
      other: litellmUnavailable('the key was not created'),
      'pg restart':
        /^The key could not be recorded; the key was not created, try again later$/,
    },
    observe: async (ctx, res) => ({
      status: res.status,
      chat: await chatStatus(ctx.b, res.body.secret, MINI),
      keeperChat: await chatStatus(ctx.b, ctx.secrets.keeper, MINI),
    }),
    recovered: { status: 201, chat: 200, keeperChat: 200 },
  },
  {
    name: 'key rotate',
    paths: ['/key/generate'],
    table: 'litemaas_keys',
    async setup(ctx) {
      await createKey(ctx, 'rotated', [MINI]);
    },
    act: ctx => call(ctx.b, 'post', `/keys/${ctx.ids.rotated}/rotate`, BOB, {}),
    answers: {
      other: litellmUnavailable('the key was not rotated'),
      'pg restart':
        /^The key could not be recorded; the key was not rotated, try again later$/,
    },
    observe: async (ctx, res) => ({
      status: res.status,
      chat: await chatStatus(ctx.b, res.body.secret, MINI),
      oldKeyChat: await chatStatus(ctx.b, ctx.secrets.rotated, MINI),
    }),
    recovered: { status: 201, chat: 200, oldKeyChat: 401 },
  },
  {
    name: 'key revoke',
    paths: ['/key/delete'],
    table: 'litemaas_keys',
    async setup(ctx) {
      await createKey(ctx, 'revoked', [MINI]);
    },
    act: ctx => call(ctx.b, 'delete', `/keys/${ctx.ids.revoked}`, BOB),
    answers: {
      other: litellmUnavailable('the key was not revoked'),
      'pg restart': DATABASE,
    },
    observe: async (ctx, res) => ({
      status: res.status,
      key: res.body.status,
      chat: await chatStatus(ctx.b, ctx.secrets.revoked, MINI),
    }),
    recovered: { status: 200, key: 'revoked', chat: 401 },
  },
  {
    name: 'subscription cancel',
    paths: ['/key/update', '/key/block'],
    table: 'litemaas_keys',
    async setup(ctx) {
      await createKey(ctx, 'both', [MINI, LLAMA]);
      await createKey(ctx, 'only', [MINI]);
      ctx.ids.sub = (
        await ctx.b
          .knex('litemaas_subscriptions')
          .where({ subject_ref: BOB, model_id: MINI })
          .first()
      ).id;
    },
    act: ctx => call(ctx.b, 'delete', `/subscriptions/${ctx.ids.sub}`, BOB),
    answers: {
      // Cancelled first (the grant is gone at once), then the keys: a repeat finishes.
      other:
        /^The subscription is cancelled, but could not remove model 'gpt-4o-mini' from 2 key\(s\) of user:default\/bob \([0-9a-f-]+, [0-9a-f-]+\); try again; the reconciliation job also finishes it$/,
    },
    observe: async (ctx, res) => ({
      status: res.status,
      subscription: res.body.status,
      // The model leaves the key with two (403), the key with only it is blocked (401).
      bothChat: await chatStatus(ctx.b, ctx.secrets.both, MINI),
      bothOtherModelChat: await chatStatus(ctx.b, ctx.secrets.both, LLAMA),
      onlyChat: await chatStatus(ctx.b, ctx.secrets.only, MINI),
    }),
    // The jobs take the model out of both keys (step 5); putting a key "back to its row"
    // first would give LiteLLM the cancelled model again meanwhile.
    reconciled: { driftFixed: 0 },
    recovered: {
      status: 200,
      subscription: 'cancelled',
      bothChat: 403,
      bothOtherModelChat: 200,
      onlyChat: 401,
    },
  },
  {
    name: 'team enable',
    paths: ['/team/new'],
    table: 'litemaas_teams',
    async setup() {},
    act: ctx =>
      call(ctx.b, 'post', '/admin/teams', ALICE, {
        group: PAYMENTS,
        maxBudget: 50,
      }),
    answers: {
      other: litellmUnavailable('the team was not created'),
      'pg restart': DATABASE,
    },
    observe: async (ctx, res) => ({
      status: res.status,
      team: [res.body.maxBudget, res.body.members],
      litellmBudget: litellmTeam(ctx)?.max_budget,
    }),
    recovered: { status: 201, team: [50, [BOB, CAROL]], litellmBudget: 50 },
  },
  {
    name: 'team enable (members)',
    paths: ['/team/member_add'],
    table: 'litemaas_team_members',
    async setup() {},
    act: ctx =>
      call(ctx.b, 'post', '/admin/teams', ALICE, {
        group: PAYMENTS,
        maxBudget: 50,
      }),
    answers: {
      // Down: the team itself cannot be made, before any member.
      down: litellmUnavailable('the team was not created'),
      other: litellmUnavailable('the team was not enabled'),
      'pg restart': DATABASE,
    },
    observe: async (ctx, res) => ({
      status: res.status,
      team: [res.body.maxBudget, res.body.members],
      litellmMembers: litellmMembers(ctx),
    }),
    recovered: {
      status: 201,
      team: [50, [BOB, CAROL]],
      litellmMembers: [BOB, CAROL],
    },
  },
  {
    name: 'team sync',
    paths: ['/team/update', '/team/member_add', '/team/member_delete'],
    table: 'litemaas_teams',
    async setup(ctx) {
      const enabled = await call(ctx.b, 'post', '/admin/teams', ALICE, {
        group: PAYMENTS,
      });
      if (enabled.status !== 201) throw new Error(`enable: ${enabled.text}`);
      // The catalog changes: a budget annotation, Carol leaves, Alice joins.
      ctx.entities.splice(
        ctx.entities.findIndex(e => e.metadata.name === 'payments'),
        1,
        group('payments', [BOB, ALICE], { 'litemaas.io/budget': '75' }),
      );
    },
    act: ctx => call(ctx.b, 'post', '/admin/teams/sync', ALICE),
    answers: {
      // Down: the left-over LiteLLM teams cannot be listed either.
      down: /^Could not sync group:default\/payments \(The LiteLLM proxy is unavailable, the team was not changed; try again later\); LiteLLM teams \(The LiteLLM proxy is unavailable, try again later \(LiteLLM GET \/team\/list is unreachable .*\)\); 0 team\(s\) synced; the scheduled sync tries again$/,
      other:
        /^Could not sync group:default\/payments \(The LiteLLM proxy is unavailable, the team was not changed; try again later\); 0 team\(s\) synced; the scheduled sync tries again$/,
      'pg restart':
        /^Could not sync group:default\/payments \(the LiteMaaS database is unavailable\); 0 team\(s\) synced; the scheduled sync tries again$/,
    },
    observe: async (ctx, res) => {
      const team = await call(ctx.b, 'get', `/teams/${enc(PAYMENTS)}`, BOB);
      return {
        status: res.status,
        team: [team.body.maxBudget, team.body.members],
        litellm: [litellmTeam(ctx)?.max_budget, litellmMembers(ctx)],
      };
    },
    recovered: {
      status: 200,
      team: [75, [ALICE, BOB]],
      litellm: [75, [ALICE, BOB]],
    },
  },
];

const databases = createTestDatabases();
/** The backend of the running test, stopped after it. */
let backend: LiteMaaSTestBackend | undefined;
/** The table's rows, printed after the last test. */
const outcomes: string[][] = [];

async function start(databaseId: TestDatabaseId): Promise<Ctx> {
  const held = new HeldCalls();
  const entities = testOrganizationGroups();
  const catalog = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => {
      const forward =
        (method: string) =>
        async (...args: unknown[]) =>
          (catalogServiceMock({ entities }) as any)[method](...args);
      const methods = Object.getOwnPropertyNames(
        Object.getPrototypeOf(catalogServiceMock()),
      ).filter(m => m !== 'constructor');
      return Object.fromEntries(
        methods.map(m => [m, forward(m)]),
      ) as unknown as CatalogService;
    },
  });
  backend = await startLiteMaaSTestBackend({
    databases,
    databaseId,
    litellmTimeoutMs: LITELLM_TIMEOUT_MS,
    litellmRetry: SHORT_RETRY_WAITS,
    emulator: { sleep: held.sleep },
    features: [catalog],
  });
  await subscribe(backend.knex, BOB, [MINI, LLAMA]);
  return { b: backend, held, entities, ids: {}, secrets: {} };
}

/** Runs the action with LiteLLM (or PostgreSQL) failing as `fault` says, then ends the fault. */
async function underFault(
  ctx: Ctx,
  step: Step,
  fault: FaultName,
): Promise<request.Response> {
  const { b, held } = ctx;
  switch (fault) {
    case 'down': {
      await b.emulator.goDown();
      try {
        return await step.act(ctx);
      } finally {
        await b.emulator.comeBack();
      }
    }
    case 'slow': {
      // LiteLLM answers after the client gave up, and does the call all the same (the
      // latency is nominal: the call is held until released below).
      for (const path of step.paths) {
        b.emulator.injectFault({ path, latencyMs: 60_000, lateEffect: true });
      }
      const res = await step.act(ctx);
      b.emulator.clearFaults();
      await held.releaseAll();
      return res;
    }
    case '5xx': {
      for (const path of step.paths) {
        b.emulator.injectFault({ path, status: 500 });
      }
      const res = await step.act(ctx);
      b.emulator.clearFaults();
      return res;
    }
    case 'dropped': {
      // LiteLLM does the call; its answer is cut off half-way.
      for (const path of step.paths) {
        b.emulator.injectFault({ path, truncate: true });
      }
      const res = await step.act(ctx);
      b.emulator.clearFaults();
      return res;
    }
    case 'pg restart':
      return restartPostgresMidRequest(ctx, step);
    default:
      throw new Error(fault);
  }
}

/**
 * PostgreSQL restarts while the request is half done: LiteLLM has been called (held
 * there until the step's next write is sure to wait on a lock), then every session of
 * the backend's database ends (the write in flight fails with 57P01, pooled connections
 * are gone) and new connections are refused until the request has answered, as while a
 * server restarts. Only this test's own database is touched, never the shared server.
 */
async function restartPostgresMidRequest(ctx: Ctx, step: Step) {
  const { b, held } = ctx;
  const connection = (b.knex.client as any).config.connection;
  const database: string = connection.database;
  const server: Knex = knexFactory({
    client: 'pg',
    connection: { ...connection, database: 'postgres' },
    pool: { min: 0, max: 1 },
  });
  const locker: Knex = knexFactory({
    client: 'pg',
    connection,
    pool: { min: 0, max: 1 },
  });
  let refusing = false;
  try {
    // The step's first LiteLLM call is held, whichever it is; the others go through.
    for (const path of step.paths) {
      b.emulator.injectFault({ path, latencyMs: 1, times: 1 });
    }
    const answer = step.act(ctx).then(res => res); // then() sends it
    await held.arrival();
    b.emulator.clearFaults();
    const lock = await locker.transaction();
    await lock.raw('LOCK TABLE ?? IN EXCLUSIVE MODE', [step.table]);
    const lockPid = (await lock.raw('select pg_backend_pid() as pid')).rows[0]
      .pid;
    await held.releaseAll();
    /** The sessions of the database but the lock's and the write waiting on it. */
    const others = () =>
      server('pg_stat_activity')
        .where({ datname: database })
        .whereNot({ pid: lockPid })
        .where(q =>
          q.whereNull('wait_event_type').orWhereNot('wait_event_type', 'Lock'),
        );
    await eventually(async () => {
      const waiting = await server('pg_stat_activity')
        .where({ datname: database, wait_event_type: 'Lock' })
        .count({ n: '*' });
      return Number(waiting[0].n) > 0;
    }, `a write of ${step.name} waiting on ${step.table}`);
    await server.raw('ALTER DATABASE ?? WITH ALLOW_CONNECTIONS false', [
      database,
    ]);
    refusing = true;
    // The idle sessions (the pool's) end first, and are gone before the write in flight
    // fails: nothing of the request can reach PostgreSQL again until it has answered.
    await others().select(server.raw('pg_terminate_backend(pid)'));
    await eventually(
      async () => (await others().select('pid')).length === 0,
      'the idle sessions ended',
    );
    await server.raw(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = ?',
      [database],
    );
    await lock.rollback().catch(() => undefined);
    return await answer;
  } finally {
    if (refusing) {
      await server.raw('ALTER DATABASE ?? WITH ALLOW_CONNECTIONS true', [
        database,
      ]);
    }
    b.emulator.clearFaults();
    await locker.destroy();
    await server.destroy();
  }
}

/** What one cell saw; the test compares it with what it must be. */
interface CellOutcome {
  status: number;
  message: string;
  secretInAnswer: boolean;
  jobErrors: { keys: number; teams: number };
  /** The figures of the reconciliation report the step names. */
  reconciled: Record<string, number>;
  /** Disagreements after the jobs ran, and after the repeated action and the jobs again. */
  orphans: string[];
  recovered: string;
}

/**
 * One cell: the step's setup, its action under the fault, LiteLLM or PostgreSQL back, the
 * jobs' next run (time moves past the pending window: the reconciliation job runs every
 * 10 minutes), then whether LiteLLM and the database agree and the same action succeeds,
 * with no other step. The row goes into the table whatever happened.
 */
async function runCell(
  databaseId: TestDatabaseId,
  step: Step,
  fault: FaultName,
): Promise<CellOutcome> {
  const ctx = await start(databaseId);
  await step.setup(ctx);
  const before = await disagreements(ctx.b);
  if (before.length > 0) throw new Error(`setup: ${before.join('; ')}`);

  const failed = await underFault(ctx, step, fault);
  const message = String(failed.body?.error?.message);
  ctx.b.advanceClock(PENDING_TIMEOUT_MS + 60_000);
  const jobs = await runJobs(ctx.b);
  const orphans = await disagreements(ctx.b);
  const again = await step.act(ctx);
  const recovered = await recovery(ctx, step, again);
  await runJobs(ctx.b);
  const after = await disagreements(ctx.b);
  outcomes.push([
    databaseId === 'POSTGRES_15' ? 'PostgreSQL' : 'SQLite',
    step.name,
    fault,
    String(failed.status),
    message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>'),
    repaired(jobs),
    String(orphans.length + after.length),
    recovered,
  ]);
  return {
    status: failed.status,
    message,
    secretInAnswer: SECRET_PATTERN.test(JSON.stringify(failed.body)),
    jobErrors: { keys: jobs.keys.errors, teams: jobs.teams.errors },
    reconciled: Object.fromEntries(
      Object.keys(step.reconciled ?? {}).map(k => [k, jobs.keys[k]]),
    ),
    orphans: [...orphans, ...after],
    recovered,
  };
}

/**
 * LiteLLM down for long enough that the circuit breaker opens (5 failures in a row):
 * LiteLLM comes back, yet for the breaker's cool-down nothing is sent to it, so the user
 * still gets 503s and a reconciliation run then can list nothing (`errors: 1`: the
 * report an earlier attempt at this matrix saw in its first cell without knowing why;
 * the breaker is the reason, by design). Once the cool-down has passed (`Date.now`, the
 * breaker's clock, moved) the next call is its trial: the same jobs settle what the
 * outage left and the same action succeeds, with no manual step.
 */
async function runBreakerCell(databaseId: TestDatabaseId) {
  const ctx = await start(databaseId);
  const create = () =>
    call(ctx.b, 'post', '/keys', BOB, { name: 'new', models: [MINI] });
  await createKey(ctx, 'keeper', [MINI]);
  await ctx.b.emulator.goDown();
  // Each attempt fails twice (the key, then its compensation): the third opens it.
  const whileDown = [await create(), await create(), await create()];
  await ctx.b.emulator.comeBack();
  const inCoolDown = await create();
  const early = await call(ctx.b, 'post', '/admin/keys/reconcile', ALICE, {});

  const realNow = Date.now.bind(Date);
  const clock = jest
    .spyOn(Date, 'now')
    .mockImplementation(() => realNow() + DEFAULT_CIRCUIT_BREAKER.cooldownMs);
  try {
    ctx.b.advanceClock(PENDING_TIMEOUT_MS + 60_000);
    const jobs = await runJobs(ctx.b);
    const orphans = await disagreements(ctx.b);
    const again = await create();
    const recovered = await recovery(
      ctx,
      STEPS.find(step => step.name === 'key create')!,
      again,
    );
    const answers = [...whileDown, inCoolDown];
    outcomes.push([
      databaseId === 'POSTGRES_15' ? 'PostgreSQL' : 'SQLite',
      'key create, 3 times (circuit breaker opens)',
      'down',
      answers.map(r => r.status).join(' '),
      String(inCoolDown.body.error?.message),
      repaired(jobs),
      String(orphans.length),
      recovered,
    ]);
    return {
      answers: answers.map(r => [r.status, r.body.error?.message]),
      reconciledInCoolDown: {
        errors: early.body.errors,
        litellmKeysSeen: early.body.litellmKeysSeen,
      },
      reconciledAfter: {
        pendingSettled: jobs.keys.pendingSettled,
        errors: jobs.keys.errors,
      },
      orphans,
      recovered,
    };
  } finally {
    clock.mockRestore();
  }
}

afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

afterAll(() => {
  const header = [
    'database',
    'step',
    'fault',
    'answer',
    'message',
    'the jobs repaired',
    'orphans after the jobs',
    'recovered',
  ];
  const rows = [header, ...outcomes];
  const widths = header.map((_, i) => Math.max(...rows.map(r => r[i].length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(
    `\nFaults: step × fault → outcome\n${[
      line(header),
      line(widths.map(w => '-'.repeat(w))),
      ...outcomes.map(line),
    ].join('\n')}\n`,
  );
});

describe('LiteLLM and PostgreSQL faults at each step: step × fault → outcome', () => {
  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    // PostgreSQL restarts on PostgreSQL only: SQLite runs in the backend's own process.
    const faults = FAULTS.filter(
      f => f !== 'pg restart' || databaseId === 'POSTGRES_15',
    );
    for (const step of STEPS) {
      it.each(faults)(`${step.name} × %s`, async fault => {
        expect(await runCell(databaseId, step, fault)).toEqual({
          status: 503,
          message: expect.stringMatching(
            step.answers[fault] ?? step.answers.other,
          ),
          secretInAnswer: false,
          jobErrors: { keys: 0, teams: 0 },
          reconciled: step.reconciled ?? {},
          orphans: [],
          recovered: 'yes',
        });
      });
    }

    it('key create while LiteLLM is down long enough to open the circuit breaker', async () => {
      const unavailable =
        'The LiteLLM proxy is unavailable, the key was not created; try again later';
      expect(await runBreakerCell(databaseId)).toEqual({
        answers: [
          [503, unavailable],
          [503, unavailable],
          [503, unavailable],
          [503, unavailable],
        ],
        reconciledInCoolDown: { errors: 1, litellmKeysSeen: 0 },
        // The three attempts whose compensation could not run, found and settled.
        reconciledAfter: { pendingSettled: 3, errors: 0 },
        orphans: [],
        recovered: 'yes',
      });
    });
  });
});
