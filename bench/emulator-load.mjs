#!/usr/bin/env node
/*
 * Load test of the LiteLLM emulator (packages/litellm-emulator).
 *
 * How to run (from the repo root, after `source scripts/toolchain.sh`):
 *   node bench/emulator-load.mjs
 *
 * It starts the emulator through its CLI as a child process (TypeScript run directly with
 * Backstage's node transform, no build step) on 127.0.0.1 (port 4800 + pid % 500) with a master key
 * generated for this run, then:
 *   1. mints a virtual key through /key/generate,
 *   2. phase A: N concurrent keep-alive clients send chat completions as fast as they can
 *      (bounded by BENCH_REQUESTS requests and BENCH_SECONDS seconds) → requests/s, p50/p95/p99,
 *   3. phase B: an open-loop paced run at BENCH_RATE req/s for BENCH_RATE_SECONDS → achieved rate,
 *      p50/p95/p99 (latency under the target load of 1,000 req/s),
 *   4. seeds BENCH_SEED_ROWS spend rows over 365 days via POST /__emulator/seed/spend → seed time,
 *   5. times a few read queries over the seeded data,
 *   6. prints the emulator's RSS before/after (from GET /__emulator/state), then stops it (SIGTERM).
 *
 * Knobs (environment): BENCH_CONCURRENCY (32), BENCH_REQUESTS (30000), BENCH_SECONDS (20),
 * BENCH_RATE (1000), BENCH_RATE_SECONDS (5), BENCH_SEED_ROWS (1000000), BENCH_STREAM (0|1).
 * Every loop is bounded and only 127.0.0.1 is contacted.
 */
import { randomBytes } from 'node:crypto';
import {
  agent,
  envNumber,
  fmt,
  json as jsonRequest,
  percentiles,
  request as httpRequest,
  startProcess,
} from './lib.mjs';

const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 32, 512);
const MAX_REQUESTS = envNumber('BENCH_REQUESTS', 30000, 2_000_000);
const MAX_SECONDS = envNumber('BENCH_SECONDS', 20, 300);
const RATE = envNumber('BENCH_RATE', 1000, 20000);
const RATE_SECONDS = envNumber('BENCH_RATE_SECONDS', 5, 120);
const SEED_ROWS = envNumber('BENCH_SEED_ROWS', 1_000_000, 10_000_000);
const STREAM = process.env.BENCH_STREAM === '1';

const masterKey = `sk-bench-${randomBytes(12).toString('base64url')}`;
const PORT = 4800 + (process.pid % 500);

async function startEmulator() {
  const url = `http://127.0.0.1:${PORT}`;
  const proc = await startProcess({
    name: 'emulator',
    args: ['packages/litellm-emulator/src/cli.ts', '--port', String(PORT)],
    env: { LITELLM_MASTER_KEY: masterKey },
    ready: async () =>
      (await httpRequest(url, 'GET', '/health/liveliness')).status === 200,
  });
  return { ...proc, url, banner: proc.output().trim().split('\n')[0] };
}

const authorization = (key = masterKey) => ({ authorization: `Bearer ${key}` });
const request = (base, method, p, body, key) =>
  httpRequest(base, method, p, { body, headers: authorization(key) });
const json = (base, method, p, body, key) =>
  jsonRequest(base, method, p, { body, headers: authorization(key) });

const mb = n => `${(n / 1048576).toFixed(1)} MiB`;

async function main() {
  const { child, url, banner, stop } = await startEmulator();
  console.log(banner);
  const exited = new Promise(r => child.once('exit', code => r(code)));
  try {
    const before = (await json(url, 'GET', '/__emulator/state')).body.memory;
    const gen = await json(url, 'POST', '/key/generate', {
      key_alias: 'bench-key',
      models: [],
    });
    if (gen.status !== 200) throw new Error(`key/generate: ${gen.status}`);
    const key = gen.body.key;
    const chatBody = {
      model: 'ibm-granite/granite-3.1-8b-instruct',
      messages: [
        { role: 'user', content: 'Benchmark request: say something short.' },
      ],
      ...(STREAM
        ? { stream: true, stream_options: { include_usage: true } }
        : {}),
    };
    const one = async lat => {
      const t0 = process.hrtime.bigint();
      const r = await request(
        url,
        'POST',
        '/v1/chat/completions',
        chatBody,
        key,
      );
      lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
      return r.status;
    };

    // Warm-up.
    for (let i = 0; i < 200; i++) await one([]);

    // Phase A: closed loop, bounded by requests and time.
    const latA = [];
    let sent = 0;
    let errors = 0;
    const deadline = Date.now() + MAX_SECONDS * 1000;
    const tA = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < MAX_REQUESTS && Date.now() < deadline) {
          sent++;
          if ((await one(latA)) !== 200) errors++;
        }
      }),
    );
    const secA = Number(process.hrtime.bigint() - tA) / 1e9;
    const pA = percentiles(latA);
    console.log(
      `phase A (closed loop, ${CONCURRENCY} clients${
        STREAM ? ', streaming' : ''
      }): ${latA.length} requests in ${fmt(secA)} s → ${fmt(
        latA.length / secA,
      )} req/s; ` +
        `latency ms p50 ${fmt(pA.p50)} p95 ${fmt(pA.p95)} p99 ${fmt(
          pA.p99,
        )} max ${fmt(pA.max)}; non-200: ${errors}`,
    );

    // Phase B: open loop at a fixed rate, bounded by RATE * RATE_SECONDS requests.
    const latB = [];
    const total = Math.round(RATE * RATE_SECONDS);
    let errorsB = 0;
    const inflight = new Set();
    const tB = process.hrtime.bigint();
    const startB = Date.now();
    for (let i = 0; i < total; i++) {
      const due = startB + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 1) await new Promise(r => setTimeout(r, wait));
      const p = one(latB).then(
        s => {
          if (s !== 200) errorsB++;
        },
        () => errorsB++,
      );
      inflight.add(p);
      p.finally(() => inflight.delete(p));
      if (inflight.size > 2000) await Promise.race(inflight);
    }
    await Promise.all(inflight);
    const secB = Number(process.hrtime.bigint() - tB) / 1e9;
    const pB = percentiles(latB);
    console.log(
      `phase B (open loop, target ${RATE} req/s for ${RATE_SECONDS} s): ${
        latB.length
      } requests in ${fmt(secB)} s → ${fmt(latB.length / secB)} req/s; ` +
        `latency ms p50 ${fmt(pB.p50)} p95 ${fmt(pB.p95)} p99 ${fmt(
          pB.p99,
        )} max ${fmt(pB.max)}; errors: ${errorsB}`,
    );
    const afterLoad = (await json(url, 'GET', '/__emulator/state')).body;

    // Seed.
    const tS = process.hrtime.bigint();
    const seed = await json(url, 'POST', '/__emulator/seed/spend', {
      rows: SEED_ROWS,
      days: 365,
      keys: ['bench-key'],
    });
    const seedWall = Number(process.hrtime.bigint() - tS) / 1e6;
    if (seed.status !== 200)
      throw new Error(`seed: ${seed.status} ${JSON.stringify(seed.body)}`);
    console.log(
      `seed: ${seed.body.inserted} spend rows over 365 days in ${fmt(
        seed.body.ms,
      )} ms (server) / ${fmt(seedWall)} ms (wall); ` +
        `daily rows user=${seed.body.daily_user_rows} team=${seed.body.daily_team_rows}`,
    );

    const now = new Date();
    const from = new Date(now.getTime() - 365 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const to = now.toISOString().slice(0, 10);
    for (const q of [
      `/spend/logs/v2?start_date=${from}&end_date=${to}&page_size=100`,
      `/spend/logs/v2?start_date=${from}&end_date=${to}&page_size=100&status_filter=failure&page=3`,
      `/user/daily/activity?start_date=${from}&end_date=${to}&page_size=1000`,
      `/team/daily/activity/aggregated?start_date=${from}&end_date=${to}`,
      `/key/info?key=${gen.body.token}`,
    ]) {
      const t0 = process.hrtime.bigint();
      const r = await request(url, 'GET', q);
      console.log(
        `query ${q.split('?')[0]} (${
          q.includes('status_filter') ? 'filtered' : 'plain'
        }): HTTP ${r.status}, ${(r.text.length / 1024).toFixed(0)} KiB in ${fmt(
          Number(process.hrtime.bigint() - t0) / 1e6,
        )} ms`,
      );
    }

    const after = (await json(url, 'GET', '/__emulator/state')).body;
    console.log(
      `RSS: before ${mb(before.rss)}, after load ${mb(afterLoad.memory.rss)} (${
        afterLoad.spend_rows
      } spend rows), ` +
        `after seed ${mb(after.memory.rss)} (${
          after.spend_rows
        } spend rows, heap ${mb(after.memory.heap_used)}, array buffers ${mb(
          after.memory.array_buffers,
        )})`,
    );
  } finally {
    agent.destroy();
    stop();
    const code = await Promise.race([
      exited,
      new Promise(r => setTimeout(() => r('timeout'), 5000)),
    ]);
    console.log(`emulator stopped (exit ${code})`);
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
