#!/usr/bin/env node
/*
 * Scale: the keys list and the usage reports of the real portal backend on PostgreSQL with
 * BENCH_SCALE_KEYS (1,000,000) keys and BENCH_SCALE_ROWS (10,000,000) usage rows, against
 * the same routes with 1,000 keys and 100,000 rows in the same run; then the plugin's
 * migrations on that data, timed.
 *
 *   source scripts/toolchain.sh && node bench/scale.mjs
 *
 * 1. the backend starts on an empty database (its migrations make the schema); the data
 *    is bulk-loaded with generate_series straight into PostgreSQL, never through the API:
 *    the signed-in guest owns 20 keys with a year of usage on 2 models each (14,600 rows,
 *    the same at both sizes: a user's year does not grow with the number of other users);
 *    every other key belongs to one of 50,000 other users, and the other usage rows are a
 *    year × 2 models of the first other keys;
 * 2. at 1,000 keys and 100,000 rows, then at the full size: p50/p95 at BENCH_CONCURRENCY
 *    (8) clients of GET /keys, GET /usage for the guest's year by day and by model, GET
 *    /admin/usage for everyone's year by day and by model (the usage sync's per-model
 *    summary is rebuilt from the loaded rows, as the sync would write it), and of the
 *    catalog's GET /entities?limit=50 as a baseline for the machine's load, each the
 *    median of BENCH_ROUNDS rounds; prints the ratio full / small per route (target ≤ 1.5)
 *    and each size's spread of p95s over the rounds;
 * 3. stops the backend, rolls the plugin's migrations back to before the last ones that
 *    touch litemaas_keys and litemaas_usage_daily (20261130020000_key_team_ref onwards)
 *    and applies them again one by one, printing each one's time on the full data.
 *
 * Knobs: BENCH_PG_URL, BENCH_SCALE_KEYS, BENCH_SCALE_ROWS (multiples of 730 are exact),
 * BENCH_CONCURRENCY, BENCH_REQUESTS (300 per measurement), BENCH_ROUNDS (3 measurements of
 * each route, taken in turn; the median p95 counts), BENCH_SECONDS (60 cap). The
 * databases it creates (prefix litemaas_scale_<pid>_) are dropped at the end.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  closedLoopGet,
  envNumber,
  fmt,
  repoRoot,
  request,
  signInAsGuest,
} from './lib.mjs';
import {
  dropDatabases,
  PG_URL,
  pg,
  startBackend,
  startEmulator,
} from './portal.mjs';

const KEYS = Math.floor(envNumber('BENCH_SCALE_KEYS', 1_000_000));
const ROWS = Math.floor(envNumber('BENCH_SCALE_ROWS', 10_000_000));
const SMALL_KEYS = 1_000;
const SMALL_ROWS = 100_000;
const CONCURRENCY = Math.floor(envNumber('BENCH_CONCURRENCY', 8));
const REQUESTS = Math.floor(envNumber('BENCH_REQUESTS', 300));
const ROUNDS = Math.floor(envNumber('BENCH_ROUNDS', 3, 15));
const SECONDS = Math.floor(envNumber('BENCH_SECONDS', 60));
const PREFIX = `litemaas_scale_${process.pid}_`;
const DB = `${PREFIX}litemaas`;
const ME = 'user:default/guest';
const MINE = 20;
/** Usage rows per key: a year × 2 models. */
const PER_KEY = 730;
const DAY = 86_400_000;
const iso = ms => new Date(ms).toISOString().slice(0, 10);
const FIRST_DAY = iso(Date.now() - 364 * DAY);
const MODELS = Array.from({ length: 20 }, (_, i) => `scale-model-${i}`);
const FIRST_MIGRATION_AGAIN = '20261130020000_key_team_ref.js';

/** Keys number `from`..`to` (1-based, inclusive); the first MINE are the guest's. */
async function loadKeys(c, from, to) {
  await c.query(
    `insert into litemaas_keys (id, owner_ref, created_by, name, litellm_key_hash, litellm_alias,
       display_name, metadata, status, created_at, updated_at)
     select md5('k' || i)::uuid::text, o, o, 'scale key ' || i, 'h' || md5('h' || i),
       'scale_' || i, 'sk-...' || left(md5('d' || i), 4), '{}', 'active',
       now() - make_interval(secs => i), now() - make_interval(secs => i)
     from (select i, case when i <= $3 then $4 else 'user:default/scale-' || (i % 50000) end as o
           from generate_series($1::int, $2::int) as i) s`,
    [from, to, MINE, ME],
  );
  await c.query(
    `insert into litemaas_key_models (key_id, model_id)
     select md5('k' || i)::uuid::text, ($3::text[])[1 + (i + m) % 20]
     from generate_series($1::int, $2::int) as i, generate_series(0, 1) as m`,
    [from, to, MODELS],
  );
}

/**
 * Usage rows number `from`..`to` (0-based, exclusive end): row n is key n / 730 + 1, day
 * (n % 730) / 2 of the year, model n % 2; keys 1..MINE are the guest's.
 */
async function loadUsage(c, from, to) {
  for (let start = from; start < to; start += 1_000_000) {
    const end = Math.min(to, start + 1_000_000);
    await c.query(
      `insert into litemaas_usage_daily (date, key_hash, model, key_id, owner_ref, user_ref,
         team_ref, requests_ok, requests_failed, prompt_tokens, completion_tokens, spend)
       select to_char($3::date + ((n % ${PER_KEY}) / 2)::int, 'YYYY-MM-DD'), 'h' || md5('h' || k),
         ($4::text[])[1 + (k + n % 2) % 20], md5('k' || k)::uuid::text, o, o, null,
         1 + n % 7, n % 2, 100 + n % 1000, 50 + n % 500, (1 + n % 97) / 1000.0
       from (select n, n / ${PER_KEY} + 1 as k,
               case when n / ${PER_KEY} + 1 <= $5 then $6
                 else 'user:default/scale-' || ((n / ${PER_KEY} + 1) % 50000) end as o
             from generate_series($1::bigint, $2::bigint - 1) as n) s`,
      [start, end, FIRST_DAY, MODELS, MINE, ME],
    );
  }
}

async function load(fromKeys, toKeys, fromRows, toRows) {
  const t0 = Date.now();
  await pg(DB, async c => {
    if (toKeys >= fromKeys) await loadKeys(c, fromKeys, toKeys);
    if (toRows > fromRows) {
      await loadUsage(c, fromRows, toRows);
      // What the usage sync writes next to the rows it replaces: everyone's day × model.
      await c.query('delete from litemaas_usage_model_daily');
      await c.query(
        `insert into litemaas_usage_model_daily (date, model, requests_ok, requests_failed,
           prompt_tokens, completion_tokens, spend)
         select date, model, sum(requests_ok), sum(requests_failed), sum(prompt_tokens),
           sum(completion_tokens), sum(spend)
         from litemaas_usage_daily group by date, model`,
      );
    }
    // What autovacuum does after a bulk load (statistics, visibility map), now.
    await c.query(
      'vacuum analyze litemaas_keys, litemaas_key_models, litemaas_usage_daily, litemaas_usage_model_daily',
    );
  });
  return Date.now() - t0;
}

async function measureAll(backendUrl, headers, size) {
  const to = iso(Date.now());
  const routes = [
    ['catalog entities?limit=50 (baseline)', '/api/catalog/entities?limit=50'],
    ['GET /keys (guest, 20 keys)', '/api/litemaas/keys'],
    [
      'GET /usage year by day (guest)',
      `/api/litemaas/usage?from=${FIRST_DAY}&to=${to}&groupBy=day`,
    ],
    [
      'GET /usage year by model (guest)',
      `/api/litemaas/usage?from=${FIRST_DAY}&to=${to}&groupBy=model`,
    ],
    [
      'GET /admin/usage year by day (everyone)',
      `/api/litemaas/admin/usage?from=${FIRST_DAY}&to=${to}&groupBy=day`,
    ],
    [
      'GET /admin/usage year by model (everyone)',
      `/api/litemaas/admin/usage?from=${FIRST_DAY}&to=${to}&groupBy=model`,
    ],
  ];
  for (const [label, p] of routes) {
    for (let i = 0; i < 20; i++) {
      const r = await request(backendUrl, 'GET', p, { headers });
      if (r.status !== 200) throw new Error(`${label}: ${r.status}`);
    }
  }
  // Rounds of every route in turn, so the machine's drift touches each route alike; a
  // route's p95 is the median of its rounds' (one round's tail moved a route across the
  // 1.5x line by itself).
  const p95s = routes.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, p]] of routes.entries()) {
      const r = await closedLoopGet({
        url: backendUrl,
        path: p,
        headers,
        concurrency: CONCURRENCY,
        requests: REQUESTS,
        seconds: SECONDS,
      });
      p95s[i].push(r.p95);
    }
  }
  return routes.map(([label], i) => {
    const sorted = [...p95s[i]].sort((a, b) => a - b);
    return {
      label,
      size,
      p95: sorted[Math.floor(sorted.length / 2)],
      low: sorted[0],
      high: sorted[sorted.length - 1],
    };
  });
}

async function migrations() {
  const require = createRequire(
    path.join(repoRoot, 'packages/backend/package.json'),
  );
  const knex = require('knex')({
    client: 'pg',
    connection: `${PG_URL}/${DB}`,
  });
  const directory = path.join(repoRoot, 'plugins/litemaas-backend/migrations');
  const times = [];
  try {
    for (;;) {
      const [done] = await knex.migrate.list({ directory });
      const last = done[done.length - 1]?.name;
      if (!last || last < FIRST_MIGRATION_AGAIN) break;
      const t0 = Date.now();
      await knex.migrate.down({ directory });
      times.push({ name: last, direction: 'down', ms: Date.now() - t0 });
    }
    for (;;) {
      const [, pending] = await knex.migrate.list({ directory });
      if (pending.length === 0) break;
      const t0 = Date.now();
      await knex.migrate.up({ directory });
      times.push({
        name: pending[0].file,
        direction: 'up',
        ms: Date.now() - t0,
      });
    }
  } finally {
    await knex.destroy();
  }
  return times;
}

async function main() {
  const small = {
    keys: Math.min(SMALL_KEYS, KEYS),
    rows: Math.min(SMALL_ROWS, ROWS),
  };
  console.log(
    `machine: ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map(l => fmt(l))
      .join(' / ')}`,
  );
  await dropDatabases(PREFIX);
  const emulator = await startEmulator(4700 + (process.pid % 100));
  let backend;
  try {
    backend = await startBackend({
      port: 7700 + (process.pid % 100),
      prefix: PREFIX,
      emulatorUrl: emulator.url,
    });
    const headers = await signInAsGuest(backend.url);

    let ms = await load(1, small.keys, 0, small.rows);
    console.log(
      `loaded ${small.keys} keys and ${small.rows} usage rows in ${fmt(
        ms / 1000,
      )} s`,
    );
    const before = await measureAll(backend.url, headers, 'small');

    ms = await load(small.keys + 1, KEYS, small.rows, ROWS);
    console.log(
      `loaded up to ${KEYS} keys and ${ROWS} usage rows in ${fmt(ms / 1000)} s`,
    );
    const after = await measureAll(backend.url, headers, 'full');
    const sizes = await pg(DB, async c => {
      const { rows } = await c.query(
        `select pg_size_pretty(pg_total_relation_size('litemaas_keys')) as keys,
                pg_size_pretty(pg_total_relation_size('litemaas_usage_daily')) as usage`,
      );
      return rows[0];
    });
    console.log(
      `on disk with indexes: litemaas_keys ${sizes.keys}, litemaas_usage_daily ${sizes.usage}`,
    );

    console.log(
      `\n${'route'.padEnd(
        40,
      )} ${`p95 ms (rounds) at ${small.keys}/${small.rows}`.padStart(
        34,
      )} ${`p95 ms (rounds) at ${KEYS}/${ROWS}`.padStart(
        38,
      )}  ratio (target ≤ 1.5)  ratio / baseline's ratio`,
    );
    let ok = true;
    for (let i = 0; i < before.length; i++) {
      const ratio = after[i].p95 / before[i].p95;
      if (i > 0 && ratio > 1.5) ok = false;
      const spread = m => `${fmt(m.p95)} (${fmt(m.low)}-${fmt(m.high)})`;
      console.log(
        `${before[i].label.padEnd(40)} ${spread(before[i]).padStart(
          34,
        )} ${spread(after[i]).padStart(38)}  ${fmt(ratio).padStart(8)}x  ${fmt(
          ratio / (after[0].p95 / before[0].p95),
        ).padStart(22)}x`,
      );
    }
    console.log(ok ? 'every route within 1.5x' : 'a route is above 1.5x');

    backend.stop();
    backend = undefined;
    await new Promise(r => setTimeout(r, 1500));
    console.log(`\nmigrations on ${KEYS} keys and ${ROWS} usage rows:`);
    for (const m of await migrations()) {
      console.log(
        `  ${m.direction.padEnd(4)} ${m.name.padEnd(52)} ${fmt(
          m.ms / 1000,
        ).padStart(8)} s`,
      );
    }
    if (!ok) process.exitCode = 1;
  } finally {
    backend?.stop();
    emulator.stop();
    await new Promise(r => setTimeout(r, 1500));
    await dropDatabases(PREFIX);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
