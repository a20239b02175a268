#!/usr/bin/env node
/*
 * Soak: mixed traffic at a fixed rate against the real portal backend on PostgreSQL and
 * the LiteLLM emulator, with the scheduled jobs running on a short schedule.
 *
 *   source scripts/toolchain.sh && node bench/soak.mjs [--minutes 30] [--rate 10]
 *
 * Every 1/rate seconds one request starts (open loop, whatever the answers take): reads
 * (GET /models, /keys, /usage, /subscriptions), key creation, rotation (two at a time
 * with a 5 s grace period the grace job ends, the rest without) and
 * revocation, and chat completions sent straight to the emulator with the keys the
 * backend minted. The model, usage, team and subscription-expiry jobs run every
 * --job-seconds (20); the key and reveal jobs keep their own schedules. Prints, per
 * minute, the requests, errors, p95 per kind, the backend's RSS and the least V8 heap it
 * had in use (bench/gc-observer.cjs: a leak shows there first); then which scheduled
 * jobs ran, the model and usage sync runs counted at the emulator, and whether the usage
 * totals equal LiteLLM's after a last sync. Exits non-zero on any error, a job that was
 * due and did not run (or failed), different totals, or (from 10 minutes on) an RSS at the
 * end more than 10% above minute 5's.
 *
 * Knobs (flags or environment): --minutes / SOAK_MINUTES (30), --rate / SOAK_RATE
 * requests per second (10), --job-seconds / SOAK_JOB_SECONDS (20), BENCH_PG_URL. Ports
 * are picked free; the databases (prefix litemaas_soak_<pid>_) are dropped at the end.
 * system/soak.test.mjs runs it for 3 minutes in the test command.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  fmt,
  freePort,
  gcReport,
  json,
  percentiles,
  repoRoot,
  request,
  rssMB,
  signInAsGuest,
} from './lib.mjs';
import {
  compareUsageTotals,
  countCalls,
  dropDatabases,
  startBackend,
  startEmulator,
} from './portal.mjs';

const soakConfig = path.join(repoRoot, 'bench/app-config.soak.yaml');
const gcFile = path.join(os.tmpdir(), `litemaas-soak-gc-${process.pid}.json`);

/** The V8 heap the backend last reported in use (MB), NaN before its first report. */
function heapUsedMB() {
  const heapUsed = gcReport(gcFile)?.memory.heapUsed;
  return heapUsed === undefined ? NaN : heapUsed / 2 ** 20;
}
const KINDS = ['read', 'write', 'chat'];
/** The mix, in requests out of 100. */
const MIX = [
  ['GET /models', 12],
  ['GET /keys', 12],
  ['GET /usage', 12],
  ['GET /subscriptions', 12],
  ['chat', 28],
  ['create', 10],
  ['rotate', 7],
  ['revoke', 7],
];
const POOL_MIN = 3;
/** Live keys of the caller at most (the portal's keysPerOwner is 20). */
const LIVE_MAX = 16;
/** Rotations with a 5 s grace period at a time (the rest rotate without one). */
const GRACE_MAX = 2;
const DAY = 86_400_000;
const iso = ms => new Date(ms).toISOString().slice(0, 10);
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** The minted keys chat uses; a key rotated or revoked leaves the pool first. */
class KeyPool {
  #keys = [];
  get size() {
    return this.#keys.length;
  }
  add(key) {
    this.#keys.push({ ...key, chats: 0 });
  }
  /** A key for a chat (held until `release`), or undefined. */
  lease() {
    if (!this.#keys.length) return undefined;
    const k = this.#keys[Math.floor(Math.random() * this.#keys.length)];
    k.chats++;
    return k;
  }
  release(k) {
    k.chats--;
  }
  /** Takes a key no chat holds out of the pool, or undefined. */
  take() {
    const i = this.#keys.findIndex(k => k.chats === 0);
    return i < 0 ? undefined : this.#keys.splice(i, 1)[0];
  }
}

function pickOp() {
  let r = Math.random() * 100;
  for (const [op, w] of MIX) {
    if ((r -= w) < 0) return op;
  }
  return MIX[0][0];
}

/** Parses `ISO 8601` durations as the scheduler stores them (PT20S, PT1M, PT1H). */
function isoSeconds(d) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(d ?? '');
  if (!m) return NaN;
  return (+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0);
}

/**
 * Runs the soak; resolves with what it measured. `log` receives each line of the report.
 */
export async function runSoak({
  minutes = 30,
  rate = 10,
  jobSeconds = 20,
  log = console.log,
} = {}) {
  const prefix = `litemaas_soak_${process.pid}_`;
  await dropDatabases(prefix);
  const emulator = await startEmulator(await freePort());
  let backend;
  try {
    const started = Date.now();
    backend = await startBackend({
      port: await freePort(),
      prefix,
      emulatorUrl: emulator.url,
      configs: [soakConfig],
      env: {
        // The backend's memory as Node sees it, every 100 ms (bench/gc-observer.cjs).
        NODE_OPTIONS: `--require ${path.join(
          repoRoot,
          'bench/gc-observer.cjs',
        )}`,
        BENCH_GC_FILE: gcFile,
        BENCH_JOB_SECONDS: String(jobSeconds),
        BENCH_JOB_DELAY: String(Math.min(5, jobSeconds)),
        BENCH_JOB_TIMEOUT: String(Math.max(60, jobSeconds * 3)),
      },
    });
    const ready = Date.now();
    log(`backend ready on PostgreSQL in ${ready - started} ms`);
    const headers = await signInAsGuest(backend.url);
    const api = (method, p, body) =>
      json(backend.url, method, `/api/litemaas${p}`, { headers, body });

    const sync = await api('POST', '/admin/models/sync', {});
    if (sync.status !== 200) throw new Error(`model sync: ${sync.status}`);
    const models = (await api('GET', '/models?restricted=false')).body.items
      .map(m => m.id)
      .filter(id => !id.includes('embedding'))
      .slice(0, 2);
    for (const modelId of models) {
      const s = await api('POST', '/subscriptions', { modelId });
      if (s.status >= 300) throw new Error(`subscribe: ${s.status}`);
    }

    /** True when `r` has the wanted status; otherwise throws what it got. */
    const expect = (r, status) => {
      if (r.status === status) return true;
      const body = r.text ?? JSON.stringify(r.body);
      throw new Error(`HTTP ${r.status} ${String(body).slice(0, 160)}`);
    };
    const pool = new KeyPool();
    // Keys that count against keysPerOwner besides the pool: being created, rotated
    // (old and new) or revoked, and rotated out but still in their grace period.
    let busy = 0;
    let inGrace = 0;
    const live = () => pool.size + busy + inGrace;
    const createKey = async () => {
      busy++;
      try {
        const r = await api('POST', '/keys', {
          name: `soak ${randomUUID().slice(0, 8)}`,
          models,
        });
        if (r.status === 201)
          pool.add({ id: r.body.id, secret: r.body.secret });
        return expect(r, 201);
      } finally {
        busy--;
      }
    };
    const read = async () => expect(await api('GET', '/keys'), 200);
    for (let i = 0; i < POOL_MIN + 2; i++) {
      if (!(await createKey()))
        throw new Error('could not mint the first keys');
    }

    const ops = {
      'GET /models': async () => expect(await api('GET', '/models'), 200),
      'GET /keys': async () => expect(await api('GET', '/keys'), 200),
      'GET /usage': async () => expect(await api('GET', '/usage'), 200),
      'GET /subscriptions': async () =>
        expect(await api('GET', '/subscriptions'), 200),
      create: async () => {
        if (live() < LIVE_MAX) return createKey();
        return ops.revoke();
      },
      rotate: async () => {
        if (live() >= LIVE_MAX) return read();
        const k = pool.take();
        if (!k) return read();
        busy += 2;
        // A few keep their predecessor for 5 s (the grace job revokes it within a
        // minute); the rest replace it at once.
        const grace = inGrace < GRACE_MAX && live() < LIVE_MAX ? 5 : 0;
        if (grace) {
          inGrace++;
          setTimeout(() => inGrace--, 90_000).unref();
        }
        const r = await api('POST', `/keys/${k.id}/rotate`, {
          gracePeriodSeconds: grace,
        }).finally(() => {
          busy -= 2;
        });
        pool.add(
          r.status === 201 ? { id: r.body.id, secret: r.body.secret } : k,
        );
        return expect(r, 201);
      },
      revoke: async () => {
        const k = pool.size > POOL_MIN ? pool.take() : undefined;
        if (!k) return live() < LIVE_MAX ? createKey() : read();
        busy++;
        const r = await api('DELETE', `/keys/${k.id}`).finally(() => {
          busy--;
        });
        if (r.status !== 200) pool.add(k);
        return expect(r, 200);
      },
      chat: async () => {
        const k = pool.lease();
        if (!k) return read();
        try {
          const r = await request(
            emulator.url,
            'POST',
            '/v1/chat/completions',
            {
              headers: { authorization: `Bearer ${k.secret}` },
              body: {
                model: models[Math.floor(Math.random() * models.length)],
                messages: [{ role: 'user', content: 'How is the soak going?' }],
              },
            },
          );
          return expect(r, 200);
        } finally {
          pool.release(k);
        }
      },
    };
    const kindOf = op =>
      op.startsWith('GET') ? 'read' : op === 'chat' ? 'chat' : 'write';

    const calls = await countCalls(emulator.url, [
      '/model/info',
      '/user/daily/activity',
    ]);
    const callsBefore = await calls();

    // The open loop: one request every 1/rate s, answers or not.
    const buckets = Array.from({ length: minutes }, () => ({
      requests: 0,
      errors: 0,
      lat: { read: [], write: [], chat: [] },
      rss: NaN,
      heap: NaN,
    }));
    const errors = [];
    const inFlight = new Set();
    const t0 = Date.now();
    const end = t0 + minutes * 60_000;
    let logged = 0;
    const rssTimer = setInterval(() => {
      const m = Math.floor((Date.now() - t0) / 60_000);
      if (m < minutes) {
        buckets[m].rss = rssMB(backend.child.pid);
        // The least V8 heap in use seen in the minute: near what survives collections.
        // A reading that failed (the file being rewritten) is skipped, not kept.
        const heap = heapUsedMB();
        if (!Number.isNaN(heap) && !(heap >= buckets[m].heap)) {
          buckets[m].heap = heap;
        }
      }
      if (m > logged) log(`  … minute ${(logged = m)} done`);
    }, 2000);
    let maxInFlight = 0;
    try {
      for (let i = 0; ; i++) {
        const at = t0 + (i * 1000) / rate;
        if (at >= end) break;
        if (at > Date.now()) await sleep(at - Date.now());
        const op = pickOp();
        const bucket = buckets[Math.floor((at - t0) / 60_000)];
        const start = process.hrtime.bigint();
        const p = ops[op]()
          .catch(error => {
            errors.push(`${op}: ${error.message}`);
            return 'thrown';
          })
          .then(ok => {
            bucket.requests++;
            bucket.lat[kindOf(op)].push(
              Number(process.hrtime.bigint() - start) / 1e6,
            );
            if (ok !== true) {
              bucket.errors++;
              if (ok === false) errors.push(`${op}: unexpected status`);
            }
            inFlight.delete(p);
          });
        inFlight.add(p);
        maxInFlight = Math.max(maxInFlight, inFlight.size);
      }
      await Promise.all(inFlight);
    } finally {
      clearInterval(rssTimer);
    }
    const callsAfter = await calls();

    log(
      `\nsoak: ${minutes} min at ${rate} requests/s (open loop; at most ${maxInFlight} in flight), jobs every ${jobSeconds} s`,
    );
    log(
      `${'minute'.padStart(6)} ${'requests'.padStart(9)} ${'errors'.padStart(
        7,
      )} ${KINDS.map(k => `p95 ${k} ms`.padStart(15)).join(
        '',
      )} ${'RSS MB'.padStart(8)} ${'heap MB'.padStart(8)}`,
    );
    const perMinute = buckets.map((b, m) => {
      const p95 = Object.fromEntries(
        KINDS.map(k => [k, percentiles(b.lat[k]).p95]),
      );
      log(
        `${String(m + 1).padStart(6)} ${String(b.requests).padStart(
          9,
        )} ${String(b.errors).padStart(7)} ${KINDS.map(k =>
          fmt(p95[k]).padStart(15),
        ).join('')} ${fmt(b.rss).padStart(8)} ${fmt(b.heap).padStart(8)}`,
      );
      return {
        minute: m + 1,
        requests: b.requests,
        errors: b.errors,
        p95,
        rss: b.rss,
        heap: b.heap,
      };
    });
    const totalErrors = perMinute.reduce((s, b) => s + b.errors, 0);
    const totalRequests = perMinute.reduce((s, b) => s + b.requests, 0);
    log(`total: ${totalRequests} requests, ${totalErrors} errors`);
    for (const e of errors.slice(0, 10)) log(`  error: ${e}`);

    // Which scheduled jobs ran: the scheduler's own view (last run end, last error).
    const now = Date.now();
    const tasks = await json(
      backend.url,
      'GET',
      '/api/litemaas/.backstage/scheduler/v1/tasks',
      { headers },
    );
    if (tasks.status !== 200)
      throw new Error(`scheduler tasks: ${tasks.status}`);
    const jobs = tasks.body.tasks.map(t => {
      const delay = isoSeconds(t.settings.initialDelayDuration) || 0;
      // Due: its first run (initial delay after start-up) was a minute ago or more.
      const due = ready + (delay + 60) * 1000 < now;
      const ended = t.taskState?.lastRunEndedAt;
      const ran = Boolean(ended) && Date.parse(ended) >= started;
      const failed = t.taskState?.lastRunError;
      return {
        id: t.taskId,
        every: t.settings.cadence,
        due,
        ran,
        failed: failed ? String(failed).slice(0, 200) : undefined,
      };
    });
    log('\nscheduled jobs (the scheduler’s view):');
    for (const j of jobs) {
      log(
        `  ${j.id.padEnd(32)} every ${j.every.padEnd(6)} ${
          j.ran ? 'ran' : j.due ? 'DID NOT RUN' : 'not due yet'
        }${j.failed ? `, last run FAILED: ${j.failed}` : ''}`,
      );
    }
    const window = minutes * 60;
    const runs = {
      modelSync: callsAfter['/model/info'] - callsBefore['/model/info'],
      usageSync:
        callsAfter['/user/daily/activity'] -
        callsBefore['/user/daily/activity'],
    };
    log(
      `runs counted at the emulator in ${window} s (≈ ${fmt(
        window / jobSeconds,
      )} expected): model sync ${runs.modelSync}, usage sync ${
        runs.usageSync
      } (calls to /user/daily/activity: one per page of 1,000 key × model days)`,
    );

    // Usage: a last sync, then LiteMaaS's totals against LiteLLM's.
    const last = await api('POST', '/admin/usage/sync', {});
    if (last.status !== 200) throw new Error(`usage sync: ${last.status}`);
    const usage = await compareUsageTotals({
      emulatorUrl: emulator.url,
      backendUrl: backend.url,
      headers,
      from: iso(Date.now() - DAY),
      to: iso(Date.now() + DAY),
    });
    log(
      `usage totals: LiteLLM ${usage.litellm.requests} requests / ${fmt(
        usage.litellm.spend,
      )} spend; LiteMaaS ${usage.litemaas.requests} / ${fmt(
        usage.litemaas.spend,
      )} → ${usage.equal ? 'EQUAL' : 'DIFFERENT'}`,
    );

    const rssEnd = perMinute[perMinute.length - 1].rss;
    log(
      `backend RSS: minute 1 ${fmt(perMinute[0].rss)} MB, minute ${Math.min(
        5,
        minutes,
      )} ${fmt(perMinute[Math.min(5, minutes) - 1].rss)} MB, end ${fmt(
        rssEnd,
      )} MB`,
    );
    return {
      perMinute,
      totalRequests,
      totalErrors,
      errors,
      jobs,
      runs,
      usage,
      maxInFlight,
    };
  } finally {
    backend?.stop();
    emulator.stop();
    await sleep(1500);
    await dropDatabases(prefix);
    rmSync(gcFile, { force: true });
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      rate: { type: 'string' },
      'job-seconds': { type: 'string' },
    },
  });
  const num = (v, env, def) => {
    const n = Number(v ?? process.env[env]);
    return Number.isFinite(n) && n > 0 ? n : def;
  };
  const minutes = Math.floor(num(values.minutes, 'SOAK_MINUTES', 30));
  const rate = num(values.rate, 'SOAK_RATE', 10);
  const jobSeconds = num(values['job-seconds'], 'SOAK_JOB_SECONDS', 20);
  const r = await runSoak({ minutes, rate, jobSeconds });
  const failures = [];
  if (r.totalErrors) failures.push(`${r.totalErrors} errors`);
  for (const j of r.jobs) {
    if (j.due && !j.ran) failures.push(`${j.id} did not run`);
    if (j.failed) failures.push(`${j.id} failed`);
  }
  if (!r.usage.equal) failures.push('usage totals differ from LiteLLM’s');
  if (minutes >= 10) {
    const m5 = r.perMinute[4].rss;
    const last = r.perMinute[r.perMinute.length - 1].rss;
    console.log(
      `RSS at the end / minute 5: ${fmt(last / m5)} (at most 1.10 wanted)`,
    );
    if (!(last <= m5 * 1.1))
      failures.push('RSS grew more than 10% after minute 5');
  }
  console.log(failures.length ? `\nFAILED: ${failures.join('; ')}` : '\nOK');
  if (failures.length) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
