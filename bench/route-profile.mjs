#!/usr/bin/env node
/*
 * Where a REST route's time goes: a CPU profile of the real portal backend
 * (packages/backend, as bench/backend-routes.mjs starts it, on PostgreSQL against the
 * emulator) while BENCH_CONCURRENCY (32) clients call one route, next to the same profile
 * of the per-request floor (GET /api/litemaas/config) taken in the same run.
 *
 *   source scripts/toolchain.sh && node bench/route-profile.mjs [/api/litemaas/keys]
 *
 * For each of the two it prints the requests per second, the backend's CPU per request
 * (busy profile time / requests) and, of the busy time during the load, the share of each
 * package (self time) and of the frames that name the usual suspects (inclusive time:
 * token check, OpenAPI validation, database, cache, permission, compression, LiteMaaS's
 * own code). Inclusive shares stop at async boundaries, so read them as lower bounds.
 *
 * Knobs: BENCH_CONCURRENCY (32), BENCH_SECONDS of load per route (15), BENCH_PROFILE_DIR
 * (a temporary folder; the .cpuprofile files are kept there for Chrome's DevTools).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedLoopGet, envNumber, freePort, signInAsGuest } from './lib.mjs';
import { dropDatabases, startBackend, startEmulator } from './portal.mjs';

const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 32, 256);
const SECONDS = envNumber('BENCH_SECONDS', 15, 120);
const ROUTE = process.argv[2] ?? '/api/litemaas/keys';
const FLOOR = '/api/litemaas/config';
const PROFILE_DIR =
  process.env.BENCH_PROFILE_DIR ??
  mkdtempSync(path.join(os.tmpdir(), 'litemaas-profile-'));

const SUSPECTS =
  /plugins\/litemaas|authenticate|verifySignature|credentials|lookupRoute|validate \[express-openapi|query \[knex\]|query \[pg\]|get \[keyv\]|authorize|compression|json \[express\]|helmetMiddleware/;

/** Starts a backend that writes a CPU profile, loads `route`, stops it: the profile's path. */
async function profile(route, emulatorUrl) {
  const prefix = `litemaas_profile_${process.pid}_`;
  const dir = mkdtempSync(path.join(PROFILE_DIR, 'run-'));
  await dropDatabases(prefix);
  const backend = await startBackend({
    port: await freePort(),
    prefix,
    emulatorUrl,
    env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` },
  });
  let load;
  try {
    const headers = await signInAsGuest(backend.url);
    // Warm-up: the development backend compiles each module on its first use.
    const loop = {
      url: backend.url,
      path: route,
      headers,
      concurrency: CONCURRENCY,
    };
    await closedLoopGet({
      ...loop,
      requests: 2_000,
      seconds: 10,
      allowErrors: true,
    });
    const startedAt = Date.now();
    load = await closedLoopGet({
      ...loop,
      requests: 1_000_000,
      seconds: SECONDS,
    });
    load.window = [startedAt, Date.now()];
  } finally {
    const exited = new Promise(r => backend.child.once('exit', r));
    backend.stop();
    await exited;
    await dropDatabases(prefix);
  }
  const [file] = readdirSync(dir).filter(f => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the backend wrote no profile into ${dir}`);
  return { file: path.join(dir, file), load };
}

const packageOf = url => {
  if (!url) return '(native: GC, I/O, idle)';
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/g);
  if (m) return m[m.length - 1].replace('node_modules/', '');
  if (url.includes('/plugins/'))
    return `plugins/${url.split('/plugins/')[1].split('/')[0]}`;
  return url.startsWith('node:') ? url : path.basename(url);
};

/** Busy time in the load window, by package (self) and by frame (inclusive). */
function analyse({ file, load }) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(p.nodes.map(n => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes)
    for (const c of n.children ?? []) parent.set(c, n.id);
  // Profile times are microseconds on a clock of their own: the load is the last
  // `SECONDS` before the shutdown, which follows it at once.
  let t = p.startTime;
  const times = p.timeDeltas.map(d => (t += d));
  const wallUs = (load.window[1] - load.window[0]) * 1000;
  const to = times.at(-1) - 500_000;
  const from = to - wallUs;
  const self = new Map();
  const inclusive = new Map();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    if (times[i] < from || times[i] > to) continue;
    const d = p.timeDeltas[i + 1] ?? 0;
    let id = p.samples[i];
    const leaf = nodes.get(id).callFrame;
    if (leaf.functionName === '(idle)') continue;
    busy += d;
    const pkg = packageOf(leaf.url);
    self.set(pkg, (self.get(pkg) ?? 0) + d);
    const seen = new Set();
    for (; id !== undefined; id = parent.get(id)) {
      const cf = nodes.get(id).callFrame;
      const name = `${cf.functionName || '(anonymous)'} [${packageOf(cf.url)}]`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + d);
    }
  }
  const share = (m, filter, k) =>
    [...m]
      .filter(([name]) => !filter || filter.test(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(
        ([name, us]) =>
          `  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${name}`,
      )
      .join('\n');
  return {
    rate: load.n / load.wallSeconds,
    p95: load.p95,
    cpuPerRequestMs: busy / 1000 / load.n,
    self: share(self, null, 15),
    suspects: share(inclusive, SUSPECTS, 20),
  };
}

async function main() {
  const emulatorPort = await freePort();
  const emulator = await startEmulator(emulatorPort);
  const results = [];
  try {
    for (const route of [FLOOR, ROUTE]) {
      results.push([
        route,
        analyse(await profile(route, `http://127.0.0.1:${emulatorPort}`)),
      ]);
    }
  } finally {
    emulator.stop();
  }
  const [, floor] = results[0];
  for (const [route, r] of results) {
    console.log(
      `\n${route}: ${r.rate.toFixed(0)} req/s, p95 ${r.p95.toFixed(
        1,
      )} ms, backend CPU ${r.cpuPerRequestMs.toFixed(3)} ms per request (${(
        r.cpuPerRequestMs / floor.cpuPerRequestMs
      ).toFixed(2)}x the floor's)`,
    );
    console.log(' self time by package, share of busy time:');
    console.log(r.self);
    console.log(' inclusive time of selected frames:');
    console.log(r.suspects);
  }
  console.log(`\nprofiles (for Chrome's DevTools): ${PROFILE_DIR}`);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
