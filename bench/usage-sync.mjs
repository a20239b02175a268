#!/usr/bin/env node
/*
 * Benchmark of the usage sync and the usage API in the real portal backend on PostgreSQL,
 * against the LiteLLM emulator.
 *
 *   source scripts/toolchain.sh && node bench/usage-sync.mjs
 *
 * 1. 2,000 keys in the database (the signed-in guest owns 20), 20 models in the emulator,
 *    BENCH_SPEND_ROWS (1,000,000) spend rows seeded over 365 days on those keys;
 * 2. prints the time of one full usage sync (LiteLLM daily activity, all pages, into
 *    usage_daily) and checks its totals against LiteLLM's own to the cent and the token;
 * 3. prints p50/p95 of GET /usage for a year grouped by day and by model, for the user
 *    (their own 20 keys) and for the admin view (everything), at BENCH_CONCURRENCY (8)
 *    clients, with the ratio to a baseline measured in the same run (the catalog's
 *    GET /api/catalog/entities?limit=50).
 *
 * Knobs: BENCH_PG_URL, BENCH_SPEND_ROWS, BENCH_KEYS (2000), BENCH_CONCURRENCY,
 * BENCH_REQUESTS (400 per measurement), BENCH_SECONDS (60 cap). Only this machine is
 * contacted; the databases it creates (prefix litemaas_usage_<pid>_) are dropped.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  closedLoop,
  fmt,
  json,
  repoRoot,
  request,
  signInAsGuest,
} from './lib.mjs';
import {
  dropDatabases,
  masterKey,
  pg,
  startBackend,
  startEmulator,
} from './portal.mjs';

const usageConfig = path.join(repoRoot, 'bench/app-config.usage-bench.yaml');

const num = (name, def, max) => {
  const v = Number(process.env[name]);
  return Math.min(Number.isFinite(v) && v > 0 ? v : def, max);
};
const ROWS = num('BENCH_SPEND_ROWS', 1_000_000, 2_000_000);
const KEYS = num('BENCH_KEYS', 2000, 20_000);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8, 64);
const REQUESTS = num('BENCH_REQUESTS', 400, 10_000);
const SECONDS = num('BENCH_SECONDS', 60, 300);
const PREFIX = `litemaas_usage_${process.pid}_`;
const ME = 'user:default/guest';
const DAY = 86_400_000;
const iso = ms => new Date(ms).toISOString().slice(0, 10);

function modelsFile() {
  const base = JSON.parse(
    readFileSync(
      path.join(
        repoRoot,
        'packages/litellm-emulator/src/models/default-models.json',
      ),
      'utf8',
    ),
  ).filter(m => m.model_info.mode === 'chat');
  const models = [];
  for (let i = 0; models.length < 20; i++) {
    const m = structuredClone(base[i % base.length]);
    if (i >= base.length) {
      m.model_name = `${m.model_name}-v${Math.floor(i / base.length)}`;
      delete m.model_info.id;
    }
    models.push(m);
  }
  const file = path.join(
    os.tmpdir(),
    `litemaas-bench-models-${process.pid}.json`,
  );
  writeFileSync(file, JSON.stringify(models));
  return { file, names: models.map(m => m.model_name) };
}

async function seedKeys(hashes) {
  await pg(`${PREFIX}litemaas`, async c => {
    const now = new Date();
    for (let i = 0; i < hashes.length; i += 500) {
      const batch = hashes.slice(i, i + 500).map((hash, j) => {
        const n = i + j;
        const id = randomUUID();
        const owner = n < 20 ? ME : `user:default/bench-${n % 500}`;
        return [
          id,
          owner,
          owner,
          `bench key ${n}`,
          hash,
          `ubench_${id.slice(0, 8)}_${n}`,
          '{}',
          'active',
          now,
          now,
        ];
      });
      const values = batch
        .map(
          (_, r) =>
            `(${Array.from({ length: 10 }, (_, k) => `$${r * 10 + k + 1}`).join(
              ',',
            )})`,
        )
        .join(',');
      await c.query(
        `insert into litemaas_keys (id, owner_ref, created_by, name, litellm_key_hash, litellm_alias, metadata, status, created_at, updated_at) values ${values}`,
        batch.flat(),
      );
    }
  });
}

async function measure(label, headers, backendUrl, p) {
  for (let i = 0; i < 10; i++) await request(backendUrl, 'GET', p, { headers });
  const r = await closedLoop({
    concurrency: CONCURRENCY,
    requests: REQUESTS,
    seconds: SECONDS,
    fn: async () =>
      (await request(backendUrl, 'GET', p, { headers })).status === 200,
  });
  if (r.errors) throw new Error(`${label}: ${r.errors} requests failed`);
  return { label, ...r };
}

async function main() {
  await dropDatabases(PREFIX);
  const models = modelsFile();
  const emulator = await startEmulator(4600 + (process.pid % 100), [
    '--models',
    models.file,
    '--max-spend-rows',
    String(ROWS + 1000),
  ]);
  let backend;
  try {
    backend = await startBackend({
      port: 7600 + (process.pid % 100),
      prefix: PREFIX,
      emulatorUrl: emulator.url,
      configs: [usageConfig],
      env: {
        BENCH_SYNC_SECONDS: String(86_400),
        BENCH_SYNC_DELAY: String(86_400),
      },
    });
    const headers = await signInAsGuest(backend.url);
    const ms = await json(
      backend.url,
      'POST',
      '/api/litemaas/admin/models/sync',
      { headers },
    );
    if (ms.status !== 200) throw new Error(`model sync: ${ms.status}`);

    const hashes = Array.from({ length: KEYS }, (_, i) =>
      createHash('sha256').update(`bench-usage-key-${i}`).digest('hex'),
    );
    await seedKeys(hashes);
    const t0 = Date.now();
    const seeded = await json(emulator.url, 'POST', '/__emulator/seed/spend', {
      headers: { authorization: `Bearer ${masterKey}` },
      body: { rows: ROWS, days: 365, keys: hashes, models: models.names },
    });
    if (seeded.status !== 200)
      throw new Error(`seed: ${seeded.status} ${JSON.stringify(seeded.body)}`);
    console.log(
      `seeded ${ROWS} spend rows over 365 days on ${KEYS} keys × ${
        models.names.length
      } models in ${Date.now() - t0} ms (${
        seeded.body.daily_user_rows
      } daily rows in LiteLLM)`,
    );

    const s0 = Date.now();
    const sync = await json(
      backend.url,
      'POST',
      '/api/litemaas/admin/usage/sync',
      { headers },
    );
    const syncMs = Date.now() - s0;
    if (sync.status !== 200)
      throw new Error(
        `usage sync: ${sync.status} ${JSON.stringify(sync.body)}`,
      );
    console.log(
      `\nusage sync of ${ROWS} spend rows (${sync.body.days} days, ${
        sync.body.pages
      } LiteLLM pages, ${sync.body.rows} usage_daily rows): ${fmt(
        syncMs / 1000,
      )} s`,
    );

    const to = iso(Date.now());
    const from = iso(Date.now() - 365 * DAY);
    // LiteLLM's own totals: every page of its daily activity (page totals cover their page).
    const t = {
      total_spend: 0,
      total_prompt_tokens: 0,
      total_completion_tokens: 0,
      total_api_requests: 0,
    };
    for (let page = 1; page <= 5000; page++) {
      const r = await json(
        emulator.url,
        'GET',
        `/user/daily/activity?start_date=${from}&end_date=${to}&page_size=1000&page=${page}`,
        { headers: { authorization: `Bearer ${masterKey}` } },
      );
      if (r.status !== 200)
        throw new Error(`LiteLLM daily activity: ${r.status}`);
      for (const k of Object.keys(t)) t[k] += r.body.metadata[k];
      if (!r.body.metadata.has_more) break;
    }
    const mine = await json(
      backend.url,
      'GET',
      `/api/litemaas/admin/usage?from=${from}&to=${to}&groupBy=day`,
      { headers },
    );
    const m = mine.body.totals;
    const same =
      Math.round(t.total_spend * 100) === Math.round(m.spend * 100) &&
      t.total_prompt_tokens === m.promptTokens &&
      t.total_completion_tokens === m.completionTokens &&
      t.total_api_requests === m.requests;
    console.log(
      `totals: LiteLLM ${fmt(t.total_spend)} / ${
        t.total_prompt_tokens + t.total_completion_tokens
      } tokens / ${t.total_api_requests} requests; LiteMaaS ${fmt(m.spend)} / ${
        m.totalTokens
      } tokens / ${m.requests} requests → ${same ? 'EQUAL' : 'DIFFERENT'}`,
    );

    await pg(`${PREFIX}litemaas`, c => c.query('analyze litemaas_usage_daily'));
    const baseline = await measure(
      'GET /api/catalog/entities?limit=50 (baseline)',
      headers,
      backend.url,
      '/api/catalog/entities?limit=50',
    );
    const rows = [baseline];
    for (const groupBy of ['day', 'model']) {
      rows.push(
        await measure(
          `GET /usage year by ${groupBy} (user, 20 keys)`,
          headers,
          backend.url,
          `/api/litemaas/usage?from=${from}&to=${to}&groupBy=${groupBy}`,
        ),
      );
      rows.push(
        await measure(
          `GET /admin/usage year by ${groupBy} (all ${KEYS} keys)`,
          headers,
          backend.url,
          `/api/litemaas/admin/usage?from=${from}&to=${to}&groupBy=${groupBy}`,
        ),
      );
    }
    console.log(
      `\n${'route'.padEnd(52)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(
        8,
      )} ${'req/s'.padStart(8)}  p95 vs baseline`,
    );
    for (const r of rows) {
      console.log(
        `${r.label.padEnd(52)} ${fmt(r.p50).padStart(8)} ${fmt(r.p95).padStart(
          8,
        )} ${fmt(r.n / r.wallSeconds).padStart(8)}  ${fmt(
          r.p95 / baseline.p95,
        ).padStart(13)}x`,
      );
    }
    if (!same) process.exitCode = 1;
  } finally {
    backend?.stop();
    emulator.stop();
    rmSync(models.file, { force: true });
    await new Promise(r => setTimeout(r, 1500));
    await dropDatabases(PREFIX);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
