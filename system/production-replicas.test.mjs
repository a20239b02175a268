// Two replicas of the production build (system/production.mjs: the unpacked backend
// bundle, NODE_ENV=production, OIDC through the development identity provider) on one
// PostgreSQL database prefix, one Redis namespace, one LiteLLM (the emulator), as
// docs/deployment/helm-values.yaml runs them. Shows: a key minted through replica A is
// listed, rotated and revoked through replica B with A's user token, LiteLLM holds no
// orphan; a key's live usage one replica read from LiteLLM is served by the other from
// the cache on Redis; the model and usage syncs, due every 2 s on both replicas, ran
// once per schedule: LiteLLM saw one call per run the scheduler claimed in PostgreSQL;
// a replica that finds a migration lock taken at start-up exits, for Kubernetes to
// restart it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { json, repoRoot } from '../bench/lib.mjs';
import {
  countCalls,
  dropDatabases,
  keyAgreement,
  masterKey,
  pg,
} from '../bench/portal.mjs';
import {
  chat,
  freePort,
  litemaas,
  openModels,
  redisKeys,
  runNames,
  startProduction,
  startProductionBackend,
  subscribeAndMint,
  userToken,
} from './production.mjs';

const PERIOD = 2; // seconds between two runs of each configurable job
const RUNS = 3; // runs of each counted job the jobs window waits for
// The counted jobs and the one LiteLLM call each run makes: the model sync reads
// /model/info once; the usage sync reads one page of /user/daily/activity (a 2-day
// backfill is one window, and a handful of rows one page).
const JOBS = {
  'litemaas-model-sync': '/model/info',
  'litemaas-usage-sync': '/user/daily/activity',
};
const GRACE = 300; // seconds the rotated-out secret keeps working
const admin = { authorization: `Bearer ${masterKey}` };
const sleep = ms => new Promise(r => setTimeout(r, ms));

let production;
let A;
let B;
let emulator;
let database;
let litellmCalls;
let jobsAtStart;

/**
 * Records every claim of a scheduled task in the plugin's database: the scheduler starts
 * a run of a global task by one conditional update that sets `current_run_ticket`; a
 * trigger on its table writes down the task, the schedule slot it claimed
 * (`next_run_start_at`) and the claiming connection's application_name (the replica).
 */
async function recordClaims() {
  await pg(database, c =>
    c.query(`
      create table system_task_claims (
        n bigserial primary key,
        task_id text not null,
        slot timestamptz,
        replica text not null
      );
      create function system_record_claim() returns trigger language plpgsql as $$
      begin
        if new.current_run_ticket is not null
          and old.current_run_ticket is distinct from new.current_run_ticket then
          insert into system_task_claims (task_id, slot, replica)
          values (new.id, old.next_run_start_at, current_setting('application_name'));
        end if;
        return new;
      end $$;
      create trigger system_record_claim after update on backstage_backend_tasks__tasks
        for each row execute function system_record_claim();
    `),
  );
}

/**
 * Per counted job, in one snapshot: the claims so far and whether a run is in progress
 * (a job the scheduler does not coordinate has no row: no claims, never running).
 */
async function claimState() {
  const { rows } = await pg(database, c =>
    c.query(
      `select j.id,
         coalesce(t.current_run_ticket is not null, false) as running,
         (select count(*)::int from system_task_claims s where s.task_id = j.id) as claims
       from unnest($1::text[]) as j(id)
       left join backstage_backend_tasks__tasks t on t.id = j.id
       order by j.id`,
      [Object.keys(JOBS)],
    ),
  );
  return rows;
}

/**
 * Claims and LiteLLM calls at one instant between runs: no counted job running before
 * and after reading LiteLLM's counts, and no claim in between. A run is claimed before
 * its call and released after it, so every call counted belongs to a claim counted.
 */
async function jobsSnapshot() {
  for (let i = 0; ; i++) {
    const first = await claimState();
    const calls = await litellmCalls();
    const then = await claimState();
    if (
      !first.some(r => r.running) &&
      JSON.stringify(first) === JSON.stringify(then)
    ) {
      return Object.fromEntries(
        first.map(r => [r.id, { claims: r.claims, calls: calls[JOBS[r.id]] }]),
      );
    }
    if (i > 600) throw new Error('the jobs never stood still between runs');
    await sleep(50);
  }
}

before(async () => {
  production = await startProduction({
    kind: 'replicas',
    replicas: 2,
    // Every configurable job every PERIOD seconds, the usage sync's backfill 2 days.
    configs: [path.join(repoRoot, 'bench/app-config.soak.yaml')],
    env: {
      BENCH_JOB_SECONDS: String(PERIOD),
      BENCH_JOB_DELAY: '1',
      BENCH_JOB_TIMEOUT: '30',
    },
  });
  [A, B] = production.backends;
  emulator = production.emulator;
  database = `${production.prefix}litemaas`;
  await recordClaims();
  litellmCalls = await countCalls(emulator.url, Object.values(JOBS));
  jobsAtStart = await jobsSnapshot();
});

after(() => production?.stop());

test('a key minted through replica A is listed, rotated and revoked through replica B; LiteLLM keeps no orphan', async () => {
  // One sign-in through A; B accepts A's token (signing keys in the shared database).
  const token = await userToken(A.url, 'bob');
  const viaA = litemaas(A.url, token);
  const viaB = litemaas(B.url, token);
  const open = await openModels(viaA);
  // A priced model, so that a call changes the key's spend.
  const model = 'gpt-4o-mini';
  assert.ok(open.includes(model), JSON.stringify(open));

  const { id, secret } = await subscribeAndMint(viaA, emulator.url, {
    model,
    name: 'two replicas',
  });

  // Listed through B, the secret shown once (by A's answer) and never again.
  const listed = await viaB('GET', '/keys');
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  assert.deepEqual(
    listed.body.items.map(k => [k.id, k.status]),
    [[id, 'active']],
  );
  assert.equal(JSON.stringify(listed.body).includes(secret), false);

  // The cache is shared: the live usage A read from LiteLLM (and cached ~30 s) is what B
  // answers after LiteLLM's number moved on. A cache of B's own would ask LiteLLM.
  const readByA = await viaA('GET', `/keys/${id}`);
  assert.equal(readByA.status, 200, JSON.stringify(readByA.body));
  assert.equal(readByA.body.usage.available, true);
  assert.equal(await chat(emulator.url, secret, model), 200);
  const inLiteLLM = await json(emulator.url, 'GET', `/key/info?key=${secret}`, {
    headers: admin,
  });
  assert.equal(inLiteLLM.status, 200, JSON.stringify(inLiteLLM.body));
  assert.ok(
    inLiteLLM.body.info.spend > readByA.body.usage.spend,
    JSON.stringify({
      litellm: inLiteLLM.body.info,
      cached: readByA.body.usage,
    }),
  );
  const readByB = await viaB('GET', `/keys/${id}`);
  assert.equal(readByB.status, 200, JSON.stringify(readByB.body));
  assert.deepEqual(readByB.body.usage, readByA.body.usage);
  // ... and it is on Redis, under this run's namespace and the plugin's (Backstage's
  // cache client writes a key's name in base64).
  const cacheKey = Buffer.from(`key-usage:${id}`).toString('base64');
  assert.ok(
    (await redisKeys(production.namespace)).includes(
      `${production.namespace}:litemaas:${cacheKey}`,
    ),
  );

  // Rotated through B: the new secret works, the old one too until the grace ends.
  const rotated = await viaB('POST', `/keys/${id}/rotate`, {
    gracePeriodSeconds: GRACE,
  });
  assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
  const next = rotated.body;
  assert.match(next.secret, /^sk-/);
  assert.notEqual(next.secret, secret);
  assert.equal(next.previousKey.id, id);
  assert.equal(await chat(emulator.url, next.secret, model), 200);
  assert.equal(await chat(emulator.url, secret, model), 200);
  // LiteLLM itself ends the old secret at the end of the grace (its clock moved on).
  const advanced = await json(
    emulator.url,
    'POST',
    '/__emulator/clock/advance',
    { headers: admin, body: { seconds: GRACE + 1 } },
  );
  assert.equal(advanced.status, 200, JSON.stringify(advanced.body));
  assert.equal(await chat(emulator.url, secret, model), 401);
  assert.equal(await chat(emulator.url, next.secret, model), 200);

  // Revoked through B: LiteLLM refuses the key.
  const revoked = await viaB('DELETE', `/keys/${next.id}`);
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.equal(revoked.body.status, 'revoked');
  assert.equal(await chat(emulator.url, next.secret, model), 401);
  // The rotated-out key, whose grace job is minutes away, is revoked too.
  const retired = await viaB('DELETE', `/keys/${id}`);
  assert.equal(retired.status, 200, JSON.stringify(retired.body));
  assert.equal(retired.body.status, 'revoked');
  assert.deepEqual((await viaA('GET', '/keys')).body.items, []);

  // LiteLLM and the database agree: no LiteMaaS key left in LiteLLM, no orphan.
  const agreement = await keyAgreement(production.prefix, emulator.url);
  assert.deepEqual(agreement, {
    litellmKeys: 0,
    byStatus: { revoked: 2 },
    litellmWithoutRow: [],
    rowsWithoutKey: [],
    pending: [],
  });
});

test('the model and usage syncs, due every 2 s on both replicas, run once per schedule', async () => {
  const token = await userToken(B.url, 'bob');
  // Both replicas registered both jobs as global tasks (the scheduler's task API).
  for (const replica of [A, B]) {
    const tasks = await json(
      replica.url,
      'GET',
      '/api/litemaas/.backstage/scheduler/v1/tasks',
      { headers: { authorization: `Bearer ${token}` } },
    );
    assert.equal(tasks.status, 200, JSON.stringify(tasks.body));
    assert.deepEqual(
      tasks.body.tasks
        .filter(t => t.taskId in JOBS)
        .map(t => [t.taskId, t.scope])
        .sort(),
      Object.keys(JOBS)
        .sort()
        .map(t => [t, 'global']),
    );
  }

  // Wait for RUNS more runs of each job (claimed, or seen by LiteLLM), then count.
  for (let i = 0; ; i++) {
    const state = await claimState();
    const calls = await litellmCalls();
    const ran = state.every(
      r =>
        Math.max(
          r.claims - jobsAtStart[r.id].claims,
          calls[JOBS[r.id]] - jobsAtStart[r.id].calls,
        ) >= RUNS,
    );
    if (ran) break;
    if (i > 600) throw new Error(`too few runs: ${JSON.stringify(state)}`);
    await sleep(200);
  }
  const jobsAtEnd = await jobsSnapshot();
  const claims = await pg(
    database,
    async c =>
      (
        await c.query(
          'select task_id, slot, replica from system_task_claims order by n',
        )
      ).rows,
  );
  const runs = Object.fromEntries(
    Object.keys(JOBS).map(task => [
      task,
      {
        claimed: jobsAtEnd[task].claims - jobsAtStart[task].claims,
        calledLiteLLM: jobsAtEnd[task].calls - jobsAtStart[task].calls,
        byReplica: claims
          .filter(c => c.task_id === task)
          .map(c => c.replica)
          .join(''),
      },
    ]),
  );
  console.log(`runs while both replicas were up: ${JSON.stringify(runs)}`);

  for (const [task, run] of Object.entries(runs)) {
    // As many LiteLLM calls as claimed runs: no replica ran a job on its own.
    assert.equal(
      run.calledLiteLLM,
      run.claimed,
      `${task}: ${JSON.stringify(run)}`,
    );
    assert.ok(run.claimed >= RUNS, `${task}: ${JSON.stringify(run)}`);
  }
  // Each claim took its own schedule slot, and came from one of the two replicas.
  for (const task of Object.keys(JOBS)) {
    const slots = claims.filter(c => c.task_id === task).map(c => c.slot);
    assert.equal(
      new Set(slots.map(s => s.toISOString())).size,
      slots.length,
      task,
    );
  }
  assert.deepEqual(
    claims.filter(c => !['A', 'B'].includes(c.replica)),
    [],
  );
});

test('a replica whose start fails (a migration lock another replica holds) exits with status 1', async () => {
  // A new database whose LiteMaaS migrations another replica is running: Knex's lock
  // taken. Started at once on a new database, two replicas race for it.
  const { prefix, namespace } = runNames('lock');
  try {
    await pg('postgres', c => c.query(`create database "${prefix}litemaas"`));
    await pg(`${prefix}litemaas`, c =>
      c.query(`
        create table knex_migrations_lock (index serial primary key, is_locked integer);
        insert into knex_migrations_lock (is_locked) values (1);
      `),
    );
    await assert.rejects(
      startProductionBackend({
        dir: production.dir,
        port: await freePort(),
        prefix,
        namespace,
        idp: production.idp,
        emulatorUrl: emulator.url,
        timeoutMs: 90_000,
      }),
      error => {
        // Not "did not become ready": the process ended, for Kubernetes to restart it.
        assert.match(error.message, /exited early \(status 1\)/);
        assert.match(error.message, /Migration table is already locked/);
        return true;
      },
    );
  } finally {
    await dropDatabases(prefix);
    await redisKeys(namespace, { remove: true });
  }
});
