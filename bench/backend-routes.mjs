#!/usr/bin/env node
/*
 * Benchmark of the LiteMaaS REST API in the real portal backend (packages/backend) on
 * PostgreSQL, against the LiteLLM emulator.
 *
 *   source scripts/toolchain.sh && node bench/backend-routes.mjs
 *
 * Prints, for GET /models and GET /keys at BENCH_CONCURRENCY (32) clients, p50/p95 and
 * the ratio of their p95 to two baselines measured in the same run:
 *   - the catalog's own GET /api/catalog/entities?limit=50,
 *   - the cheapest authenticated route of the same backend, GET /api/litemaas/config
 *     (token check, no database): Backstage's per-request floor.
 * GET /keys is measured with 1,000 and then 100,000 keys in the database (the caller owns
 * 20 of them). Last, the keys/s of POST /keys against the emulator.
 *
 * Knobs: BENCH_PG_URL (postgresql://postgres@127.0.0.1:5432), BENCH_CONCURRENCY (32),
 * BENCH_REQUESTS per measurement (2000) after BENCH_WARMUP (1000) at the same concurrency,
 * BENCH_SECONDS cap per measurement (30),
 * BENCH_KEYS_CREATED (200). Every loop is bounded; only this machine is contacted. The
 * databases it creates (prefix litemaas_bench_<pid>_) are dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import {
  closedLoop,
  closedLoopGet,
  envNumber,
  fmt,
  json,
  request,
  signInAsGuest,
} from './lib.mjs';
import { dropDatabases, pg, startBackend, startEmulator } from './portal.mjs';

const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 32, 256);
const REQUESTS = envNumber('BENCH_REQUESTS', 2000, 100_000);
const SECONDS = envNumber('BENCH_SECONDS', 30, 300);
const KEYS_CREATED = envNumber('BENCH_KEYS_CREATED', 200, 5000);
const WARMUP = envNumber('BENCH_WARMUP', 1000, 100_000);
const PREFIX = `litemaas_bench_${process.pid}_`;
const EMULATOR_PORT = 4300 + (process.pid % 500);
const BACKEND_PORT = 7300 + (process.pid % 500);
const backendUrl = `http://127.0.0.1:${BACKEND_PORT}`;
const ME = 'user:default/guest';

/** Inserts keys straight into the plugin's tables: `mine` for the caller, the rest spread over 500 owners. */
async function seedKeys(total, mine, models) {
  await pg(`${PREFIX}litemaas`, async c => {
    const { rows } = await c.query(
      'select count(*)::int as n from litemaas_keys',
    );
    let existing = rows[0].n;
    const now = new Date();
    while (existing < total) {
      const batch = Math.min(1000, total - existing);
      const keys = [];
      const links = [];
      for (let i = 0; i < batch; i++) {
        const id = randomUUID();
        const n = existing + i;
        const owner = n < mine ? ME : `user:default/bench-${n % 500}`;
        keys.push([
          id,
          owner,
          owner,
          `bench key ${n}`,
          `h${id.replace(/-/g, '')}`,
          `bench_${id.slice(0, 8)}_${n}`,
          `sk-...${id.slice(0, 4)}`,
          '{}',
          'active',
          now,
          now,
        ]);
        links.push(
          [id, models[n % models.length]],
          [id, models[(n + 1) % models.length]],
        );
      }
      const values = (rowsToInsert, width) =>
        rowsToInsert
          .map(
            (_, r) =>
              `(${Array.from(
                { length: width },
                (_, k) => `$${r * width + k + 1}`,
              ).join(',')})`,
          )
          .join(',');
      await c.query(
        `insert into litemaas_keys (id, owner_ref, created_by, name, litellm_key_hash, litellm_alias, display_name, metadata, status, created_at, updated_at) values ${values(
          keys,
          11,
        )}`,
        keys.flat(),
      );
      await c.query(
        `insert into litemaas_key_models (key_id, model_id) values ${values(
          links,
          2,
        )} on conflict do nothing`,
        links.flat(),
      );
      existing += batch;
    }
    // As autovacuum would after a bulk load: fresh statistics for the planner.
    await c.query('analyze litemaas_keys; analyze litemaas_key_models');
  });
}

async function measure(label, headers, p) {
  // Warm-up at the same concurrency (the development backend compiles a module on its
  // first use, V8 optimises a route's code after many calls: 50 serial requests left the
  // first routes measured slower than later ones), then the bounded closed loop.
  const loop = { url: backendUrl, path: p, headers, concurrency: CONCURRENCY };
  await closedLoopGet({
    ...loop,
    requests: WARMUP,
    seconds: SECONDS,
    allowErrors: true,
  });
  const r = await closedLoopGet({
    ...loop,
    requests: REQUESTS,
    seconds: SECONDS,
  });
  return { label, ...r };
}

function report(rows, baselines) {
  console.log(
    `\n${'route'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(
      8,
    )} ${'req/s'.padStart(8)}  p95 vs catalog  p95 vs floor`,
  );
  for (const r of rows) {
    console.log(
      `${r.label.padEnd(46)} ${fmt(r.p50).padStart(8)} ${fmt(r.p95).padStart(
        8,
      )} ${fmt(r.n / r.wallSeconds).padStart(8)}  ${fmt(
        r.p95 / baselines.catalog.p95,
      ).padStart(13)}x  ${fmt(r.p95 / baselines.floor.p95).padStart(11)}x`,
    );
  }
}

async function main() {
  await dropDatabases(PREFIX);
  const emulator = await startEmulator(EMULATOR_PORT);
  let backend;
  try {
    const started = Date.now();
    backend = await startBackend({
      port: BACKEND_PORT,
      prefix: PREFIX,
      emulatorUrl: emulator.url,
    });
    console.log(`backend ready on PostgreSQL in ${Date.now() - started} ms`);

    // The catalog is empty for a moment after start-up; the bench config makes the
    // guest's group LiteMaaS admins.
    const headers = await signInAsGuest(backendUrl);
    const sync = await json(
      backendUrl,
      'POST',
      '/api/litemaas/admin/models/sync',
      { headers },
    );
    if (sync.status !== 200) {
      throw new Error(
        `model sync: ${sync.status} ${JSON.stringify(sync.body)}`,
      );
    }
    const models = (
      await json(backendUrl, 'GET', '/api/litemaas/models', { headers })
    ).body.items.map(m => m.id);

    await seedKeys(1000, 20, models);
    const floor = await measure(
      'GET /api/litemaas/config (floor)',
      headers,
      '/api/litemaas/config',
    );
    const catalog = await measure(
      'GET /api/catalog/entities?limit=50',
      headers,
      '/api/catalog/entities?limit=50',
    );
    const rows = [floor, catalog];
    rows.push(
      await measure(
        'GET /api/litemaas/models',
        headers,
        '/api/litemaas/models',
      ),
    );
    rows.push(
      await measure(
        'GET /api/litemaas/keys (1,000 keys in DB)',
        headers,
        '/api/litemaas/keys',
      ),
    );
    await seedKeys(100_000, 20, models);
    rows.push(
      await measure(
        'GET /api/litemaas/keys (100,000 keys in DB)',
        headers,
        '/api/litemaas/keys',
      ),
    );
    report(rows, { floor, catalog });

    // POST /keys against the emulator: subscribe to two open models, then mint keys.
    const open = (
      await json(backendUrl, 'GET', '/api/litemaas/models?restricted=false', {
        headers,
      })
    ).body.items
      .slice(0, 2)
      .map(m => m.id);
    for (const modelId of open) {
      const s = await json(backendUrl, 'POST', '/api/litemaas/subscriptions', {
        headers,
        body: { modelId },
      });
      if (s.status >= 300)
        throw new Error(`subscribe: ${s.status} ${JSON.stringify(s.body)}`);
    }
    let n = 0;
    let firstRefusal;
    const created = await closedLoop({
      concurrency: 8,
      requests: KEYS_CREATED,
      seconds: SECONDS,
      fn: async () => {
        const res = await request(backendUrl, 'POST', '/api/litemaas/keys', {
          headers,
          body: { name: `bench ${n++}`, models: open },
        });
        if (res.status !== 201)
          firstRefusal ??= `${res.status} ${res.text.slice(0, 300)}`;
        return res.status === 201;
      },
    });
    // A rate of refused creations is no rate of creations.
    if (created.errors) {
      throw new Error(
        `POST /keys: ${created.errors} of ${created.n} failed, first: ${firstRefusal}`,
      );
    }
    console.log(
      `\nPOST /api/litemaas/keys (8 clients, emulator): ${
        created.n
      } keys in ${fmt(created.wallSeconds)} s → ${fmt(
        created.n / created.wallSeconds,
      )} keys/s, p50 ${fmt(created.p50)} ms, p95 ${fmt(created.p95)} ms, ${
        created.errors
      } failed`,
    );
  } finally {
    backend?.stop();
    emulator.stop();
    await new Promise(r => setTimeout(r, 1500));
    await dropDatabases(PREFIX);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
