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

/** Counts the calls to a LiteLLM path through a never-ending no-op fault. */
export async function countCalls(emulatorUrl, paths) {
  const headers = { authorization: `Bearer ${masterKey}` };
  const N = 1_000_000;
  await request(emulatorUrl, 'POST', '/__emulator/faults', {
    headers,
    body: { faults: paths.map(p => ({ path: p, latencyMs: 0, times: N })) },
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
