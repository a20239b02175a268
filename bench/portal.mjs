// Helpers shared by the benchmarks of the running portal: PostgreSQL databases with their
// own prefix, the LiteLLM emulator and the real portal backend as child processes.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';
import { json, repoRoot, request, startProcess } from './lib.mjs';

const require = createRequire(
  path.join(repoRoot, 'packages/backend/package.json'),
);
const { Client } = require('pg');

export const PG_URL =
  process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
export const masterKey = `sk-${randomBytes(16).toString('hex')}`;

export async function pg(database, fn) {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabases(prefix) {
  await pg('postgres', async c => {
    const { rows } = await c.query(
      'select datname from pg_database where datname like $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await c.query(`drop database if exists "${datname}" with (force)`);
    }
  });
}

export async function startEmulator(port, extraArgs = []) {
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess({
    name: 'emulator',
    args: [
      'packages/litellm-emulator/src/cli.ts',
      '--port',
      String(port),
      ...extraArgs,
    ],
    env: { LITELLM_MASTER_KEY: masterKey },
    ready: async () =>
      (await request(url, 'GET', '/health/liveliness')).status === 200,
  });
  return { ...proc, url };
}

/**
 * The real portal backend (packages/backend) on PostgreSQL with its own database prefix,
 * against the emulator; `configs` and `env` add to the bench defaults.
 */
export async function startBackend({
  port,
  prefix,
  emulatorUrl,
  configs = [],
  env = {},
}) {
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess({
    name: `backend:${port}`,
    // Catalog file locations in app-config.yaml are relative to packages/backend.
    cwd: path.join(repoRoot, 'packages/backend'),
    args: [
      'src/index.ts',
      ...[
        path.join(repoRoot, 'app-config.yaml'),
        path.join(repoRoot, 'bench/app-config.bench.yaml'),
        ...configs,
      ].flatMap(file => ['--config', file]),
    ],
    env: {
      NODE_ENV: 'development',
      BENCH_BACKEND_PORT: String(port),
      BENCH_DB_PREFIX: prefix,
      BENCH_PG_URL: PG_URL,
      LITELLM_BASE_URL: emulatorUrl,
      LITELLM_MASTER_KEY: masterKey,
      ...env,
    },
    timeoutMs: 240_000,
    ready: async () =>
      (await request(url, 'GET', '/api/litemaas/health')).status === 200,
  });
  return { ...proc, url };
}

/**
 * Counts the calls to a LiteLLM path through a never-ending fault that only delays them
 * by `latencyMs` (0: not at all).
 */
export async function countCalls(emulatorUrl, paths, { latencyMs = 0 } = {}) {
  const headers = { authorization: `Bearer ${masterKey}` };
  const N = 1_000_000;
  await request(emulatorUrl, 'POST', '/__emulator/faults', {
    headers,
    body: { faults: paths.map(p => ({ path: p, latencyMs, times: N })) },
  });
  return async () => {
    const r = await json(emulatorUrl, 'GET', '/__emulator/faults', { headers });
    return Object.fromEntries(
      paths.map(p => {
        const f = r.body.faults.find(x => x.path === p);
        return [p, f ? N - f.remaining : N];
      }),
    );
  };
}

const adminHeaders = () => ({ authorization: `Bearer ${masterKey}` });

/**
 * LiteLLM's usage totals over the days `from`..`to` (YYYY-MM-DD) against LiteMaaS's
 * (`GET /admin/usage`, as `headers` sees it): every page of LiteLLM's daily activity,
 * whose page totals cover their page. `equal` is to the cent and the token.
 */
export async function compareUsageTotals({
  emulatorUrl,
  backendUrl,
  headers,
  from,
  to,
}) {
  const litellm = {
    spend: 0,
    promptTokens: 0,
    completionTokens: 0,
    requests: 0,
  };
  for (let page = 1; page <= 5000; page++) {
    const r = await json(
      emulatorUrl,
      'GET',
      `/user/daily/activity?start_date=${from}&end_date=${to}&page_size=1000&page=${page}`,
      { headers: adminHeaders() },
    );
    if (r.status !== 200)
      throw new Error(`LiteLLM daily activity: ${r.status}`);
    const m = r.body.metadata;
    litellm.spend += m.total_spend;
    litellm.promptTokens += m.total_prompt_tokens;
    litellm.completionTokens += m.total_completion_tokens;
    litellm.requests += m.total_api_requests;
    if (!m.has_more) break;
  }
  const mine = await json(
    backendUrl,
    'GET',
    `/api/litemaas/admin/usage?from=${from}&to=${to}&groupBy=day`,
    { headers },
  );
  if (mine.status !== 200)
    throw new Error(
      `GET /admin/usage: ${mine.status} ${JSON.stringify(mine.body)}`,
    );
  const t = mine.body.totals;
  const litemaas = {
    spend: t.spend,
    promptTokens: t.promptTokens,
    completionTokens: t.completionTokens,
    requests: t.requests,
  };
  const equal =
    Math.round(litellm.spend * 100) === Math.round(litemaas.spend * 100) &&
    litellm.promptTokens === litemaas.promptTokens &&
    litellm.completionTokens === litemaas.completionTokens &&
    litellm.requests === litemaas.requests;
  return { litellm, litemaas, equal };
}

/**
 * Do LiteLLM and the LiteMaaS database (prefix `prefix`) agree on the keys? Lists every
 * key LiteMaaS minted in LiteLLM (`metadata.managed_by`) and every row of `litemaas_keys`:
 * LiteLLM keys without a row holding them, rows that should have a LiteLLM key (active,
 * blocked) without one, and rows still pending.
 */
export async function keyAgreement(prefix, emulatorUrl) {
  const litellm = new Map();
  for (let page = 1; page <= 10_000; page++) {
    const r = await json(
      emulatorUrl,
      'GET',
      `/key/list?return_full_object=true&size=100&page=${page}`,
      { headers: adminHeaders() },
    );
    if (r.status !== 200) throw new Error(`LiteLLM key list: ${r.status}`);
    for (const k of r.body.keys) {
      if (k.metadata?.managed_by === 'litemaas-backstage')
        litellm.set(k.token, k);
    }
    if (page >= r.body.total_pages || r.body.keys.length === 0) break;
  }
  const rows = await pg(
    `${prefix}litemaas`,
    async c =>
      (
        await c.query('select id, status, litellm_key_hash from litemaas_keys')
      ).rows,
  );
  const holding = new Set(
    rows
      .filter(r => ['active', 'blocked', 'expired'].includes(r.status))
      .map(r => r.litellm_key_hash),
  );
  const byStatus = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    litellmKeys: litellm.size,
    byStatus,
    litellmWithoutRow: [...litellm.keys()].filter(t => !holding.has(t)),
    rowsWithoutKey: rows
      .filter(r => ['active', 'blocked'].includes(r.status))
      .filter(r => !litellm.has(r.litellm_key_hash))
      .map(r => r.id),
    pending: rows.filter(r => r.status === 'pending').map(r => r.id),
  };
}
