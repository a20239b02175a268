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
 *    usage_daily) against a baseline measured first (this script reading the same pages
 *    one by one), the CPU the backend, the emulator and PostgreSQL used for it, the
 *    backend's RSS growth during it (sampled every 100 ms) and its garbage collections
 *    (counted by bench/gc-observer.cjs), the time of a second sync (only the days not
 *    yet final), and checks the totals against LiteLLM's own to the cent and the token;
 * 3. syncs the same days again (an admin's re-sync) against LiteLLM's answers recorded
 *    by a first re-sync and sent again as they were (the emulator's recording hook): the
 *    backend's own time, CPU and RSS growth, as against a LiteLLM on cores of its own
 *    that answers at once; the totals are checked again;
 * 4. prints p50/p95 of GET /usage for a year grouped by day and by model, for the user
 *    (their own 20 keys) and for the admin view (everything), at BENCH_CONCURRENCY (8)
 *    clients, with the ratio to a baseline measured in the same run (the catalog's
 *    GET /api/catalog/entities?limit=50), and the CPU the backend and PostgreSQL spent
 *    per request meanwhile;
 * 5. fetches the admin's CSV export of everyone's year and prints its rows per second
 *    and the backend's CPU for it.
 *
 * Knobs: BENCH_PG_URL, BENCH_SPEND_ROWS, BENCH_KEYS (2000), BENCH_CONCURRENCY,
 * BENCH_BACKEND_NODE_OPTIONS (added to the backend's NODE_OPTIONS after the GC counter, e.g. a heap limit),
 * BENCH_REQUESTS (400 per measurement), BENCH_SECONDS (60 cap). Only this machine is
 * contacted; the databases it creates (prefix litemaas_usage_<pid>_) are dropped.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  closedLoopGet,
  cpuSeconds,
  envNumber,
  fmt,
  gcReport,
  json,
  postgresCpuSeconds,
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
const gcObserver = path.join(repoRoot, 'bench/gc-observer.cjs');
const gcFile = path.join(
  os.tmpdir(),
  `litemaas-usage-bench-gc-${process.pid}.json`,
);

const ROWS = envNumber('BENCH_SPEND_ROWS', 1_000_000, 2_000_000);
const KEYS = envNumber('BENCH_KEYS', 2000, 20_000);
const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 8, 64);
const REQUESTS = envNumber('BENCH_REQUESTS', 400, 10_000);
const SECONDS = envNumber('BENCH_SECONDS', 60, 300);
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

/** The backend's garbage collections so far (bench/gc-observer.cjs), once it has written them. */
async function backendGc() {
  for (;;) {
    await new Promise(r => setTimeout(r, 300));
    const report = gcReport(gcFile);
    if (report) return report;
  }
}

/** The collections between two readings of {@link backendGc}, as a phrase. */
function gcBetween(before, after) {
  return `${after.major - before.major} full (${fmt(
    after.majorMs - before.majorMs,
  )} ms paused), ${after.minor - before.minor} young-generation (${fmt(
    after.minorMs - before.minorMs,
  )} ms paused)`;
}

/**
 * Samples a process's resident memory (MB) every 100 ms until stopped, with what the
 * backend's gc-observer last reported of its memory at the highest sample: how much of
 * the resident memory is V8's heap and how much is held outside it.
 */
function rssSampler(pid) {
  const read = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return m ? Number(m[1]) / 1024 : 0;
  };
  const node = () => gcReport(gcFile)?.memory;
  const before = { rss: read(), node: node() };
  let peak = before;
  const sample = () => {
    const rss = read();
    if (rss > peak.rss) peak = { rss, node: node() ?? peak.node };
  };
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { before, peak };
    },
  };
}

/** Node's view of a memory reading, in MB, as a phrase. */
function nodeMemory(m) {
  if (!m) return 'not reported';
  const mb = n => fmt(n / 1024 / 1024);
  return `V8 heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, external ${mb(
    m.external,
  )} MB (array buffers ${mb(m.arrayBuffers)})`;
}

/** What a memory reading of {@link rssSampler} says, as a phrase. */
function rssGrowth({ before, peak }) {
  return `${fmt(before.rss)} MB before (${nodeMemory(before.node)}), ${fmt(
    peak.rss,
  )} MB at peak (${nodeMemory(peak.node)}) → growth ${fmt(
    peak.rss - before.rss,
  )} MB`;
}

/**
 * p50/p95 of a route at CONCURRENCY clients, and the CPU the backend and PostgreSQL spent
 * per request meanwhile: on a saturated 2-core machine the p95 is mostly queueing, which
 * moves from run to run; the CPU per request is what a change to the route moves.
 */
async function measure(label, headers, backend, p) {
  for (let i = 0; i < 10; i++)
    await request(backend.url, 'GET', p, { headers });
  const backend0 = cpuSeconds(backend.child.pid);
  const postgres0 = postgresCpuSeconds();
  const r = await closedLoopGet({
    url: backend.url,
    path: p,
    headers,
    concurrency: CONCURRENCY,
    requests: REQUESTS,
    seconds: SECONDS,
  });
  return {
    label,
    ...r,
    backendCpuMs: ((cpuSeconds(backend.child.pid) - backend0) * 1000) / r.n,
    postgresCpuMs: ((postgresCpuSeconds() - postgres0) * 1000) / r.n,
  };
}

/** A CSV export: its rows (lines after the header), size, seconds and the backend's CPU. */
async function timeExport(backend, headers, p) {
  const cpu0 = cpuSeconds(backend.child.pid);
  const started = Date.now();
  const { status, text } = await request(backend.url, 'GET', p, { headers });
  const seconds = (Date.now() - started) / 1000;
  if (status !== 200) throw new Error(`GET ${p}: ${status}`);
  return {
    rows: text.split('\n').filter(Boolean).length - 1,
    mb: Buffer.byteLength(text) / 1e6,
    seconds,
    backendCpu: cpuSeconds(backend.child.pid) - cpu0,
  };
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
        // The GC counter, and e.g. --max-old-space-size=512 (as a container with a
        // memory limit would run it) from BENCH_BACKEND_NODE_OPTIONS.
        NODE_OPTIONS: [
          `--require "${gcObserver}"`,
          process.env.BENCH_BACKEND_NODE_OPTIONS,
        ]
          .filter(Boolean)
          .join(' '),
        BENCH_GC_FILE: gcFile,
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

    const to = iso(Date.now());
    const from = iso(Date.now() - 365 * DAY);
    // Baseline, and LiteLLM's own totals: this script reading every page of LiteLLM's
    // daily activity for the year, one after the other (page totals cover their page).
    const t = {
      total_spend: 0,
      total_prompt_tokens: 0,
      total_completion_tokens: 0,
      total_api_requests: 0,
    };
    const r0 = Date.now();
    const emulatorCpu0 = cpuSeconds(emulator.child.pid);
    const ownCpu0 = process.cpuUsage();
    let litellmPages = 0;
    for (let page = 1; page <= 5000; page++) {
      const r = await json(
        emulator.url,
        'GET',
        `/user/daily/activity?start_date=${from}&end_date=${to}&page_size=1000&page=${page}`,
        { headers: { authorization: `Bearer ${masterKey}` } },
      );
      if (r.status !== 200)
        throw new Error(`LiteLLM daily activity: ${r.status}`);
      litellmPages++;
      for (const k of Object.keys(t)) t[k] += r.body.metadata[k];
      if (!r.body.metadata.has_more) break;
    }
    const readMs = Date.now() - r0;
    const ownCpu = process.cpuUsage(ownCpu0);
    const readCpu = {
      emulator: cpuSeconds(emulator.child.pid) - emulatorCpu0,
      reader: (ownCpu.user + ownCpu.system) / 1e6,
    };

    const rss = rssSampler(backend.child.pid);
    const syncCpu0 = {
      backend: cpuSeconds(backend.child.pid),
      emulator: cpuSeconds(emulator.child.pid),
      postgres: postgresCpuSeconds(),
    };
    const syncGc0 = await backendGc();
    const s0 = Date.now();
    const sync = await json(
      backend.url,
      'POST',
      '/api/litemaas/admin/usage/sync',
      { headers },
    );
    const syncMs = Date.now() - s0;
    const memory = rss.stop();
    const syncCpu = {
      backend: cpuSeconds(backend.child.pid) - syncCpu0.backend,
      emulator: cpuSeconds(emulator.child.pid) - syncCpu0.emulator,
      postgres: postgresCpuSeconds() - syncCpu0.postgres,
    };
    const syncGc = gcBetween(syncGc0, await backendGc());
    if (sync.status !== 200)
      throw new Error(
        `usage sync: ${sync.status} ${JSON.stringify(sync.body)}`,
      );
    const a0 = Date.now();
    const again = await json(
      backend.url,
      'POST',
      '/api/litemaas/admin/usage/sync',
      { headers },
    );
    const againMs = Date.now() - a0;
    if (again.status !== 200) throw new Error(`second sync: ${again.status}`);
    // On a shared machine wall time is mostly waiting for a core: CPU seconds say what
    // each process did (LiteLLM would run elsewhere in production).
    console.log(
      `\nmachine: ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map(l => fmt(l))
        .join(' / ')}` +
        `\nbaseline: this script reads LiteLLM's ${litellmPages} pages of the year one by one: ${fmt(
          readMs / 1000,
        )} s (CPU: emulator ${fmt(readCpu.emulator)} s, reader ${fmt(
          readCpu.reader,
        )} s)` +
        `\nusage sync of ${ROWS} spend rows (${sync.body.days} days, ${
          sync.body.pages
        } LiteLLM pages, ${sync.body.rows} usage_daily rows): ${fmt(
          syncMs / 1000,
        )} s = ${fmt(
          syncMs / readMs,
        )}x the baseline (target 30 s); CPU: backend ${fmt(
          syncCpu.backend,
        )} s = ${fmt(
          syncCpu.backend / readCpu.reader,
        )}x the reader's, emulator ${fmt(syncCpu.emulator)} s, PostgreSQL ${fmt(
          syncCpu.postgres,
        )} s` +
        `\nbackend RSS: ${rssGrowth(memory)} (target ≤ 200 MB)` +
        `\nbackend garbage collections during the sync: ${syncGc}` +
        `\nsecond sync (past days final, only today re-read): ${
          again.body.days
        } day(s), ${again.body.pages} page(s), ${fmt(againMs / 1000)} s`,
    );
    /** Prints LiteMaaS's totals against LiteLLM's; answers whether they are equal. */
    const compareTotals = async () => {
      const mine = await json(
        backend.url,
        'GET',
        `/api/litemaas/admin/usage?from=${from}&to=${to}&groupBy=day`,
        { headers },
      );
      const m = mine.body.totals;
      const equal =
        Math.round(t.total_spend * 100) === Math.round(m.spend * 100) &&
        t.total_prompt_tokens === m.promptTokens &&
        t.total_completion_tokens === m.completionTokens &&
        t.total_api_requests === m.requests;
      console.log(
        `totals: LiteLLM ${fmt(t.total_spend)} / ${
          t.total_prompt_tokens + t.total_completion_tokens
        } tokens / ${t.total_api_requests} requests; LiteMaaS ${fmt(
          m.spend,
        )} / ${m.totalTokens} tokens / ${m.requests} requests → ${
          equal ? 'EQUAL' : 'DIFFERENT'
        }`,
      );
      return equal;
    };
    let same = await compareTotals();

    // The backend's own work: the same days synced again (an admin's re-sync) against
    // LiteLLM's answers recorded by a first re-sync and sent again as they were, as a
    // LiteLLM on cores of its own answering at once would. Here the emulator shares the
    // two cores and spends as much CPU serving the pages as the backend reading them.
    const hook = body =>
      json(emulator.url, 'POST', '/__emulator/recording', {
        headers: { authorization: `Bearer ${masterKey}` },
        body,
      });
    const resync = async () => {
      const r = await json(
        backend.url,
        'POST',
        '/api/litemaas/admin/usage/resync',
        { headers, body: { from, to } },
      );
      if (r.status !== 200)
        throw new Error(`re-sync: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await hook({
      mode: 'record',
      paths: ['/user/daily/activity', '/team/daily/activity'],
    });
    const recorded = await resync();
    const recording = (await hook({ mode: 'replay' })).body;
    const replayRss = rssSampler(backend.child.pid);
    const replayCpu0 = {
      backend: cpuSeconds(backend.child.pid),
      emulator: cpuSeconds(emulator.child.pid),
      postgres: postgresCpuSeconds(),
    };
    const replayGc0 = await backendGc();
    const p0 = Date.now();
    const replayed = await resync();
    const replayMs = Date.now() - p0;
    const replayMemory = replayRss.stop();
    const replayGc = gcBetween(replayGc0, await backendGc());
    await hook({ mode: 'off' });
    console.log(
      `\nusage sync of the same days against LiteLLM answers recorded beforehand (${
        recording.answers
      } pages, ${fmt(recording.bytes / 1e6)} MB; ${replayed.pages} pages and ${
        replayed.rows
      } rows synced, ${recorded.pages} and ${
        recorded.rows
      } when recorded): ${fmt(
        replayMs / 1000,
      )} s (target 30 s); CPU: backend ${fmt(
        cpuSeconds(backend.child.pid) - replayCpu0.backend,
      )} s, emulator ${fmt(
        cpuSeconds(emulator.child.pid) - replayCpu0.emulator,
      )} s, PostgreSQL ${fmt(
        postgresCpuSeconds() - replayCpu0.postgres,
      )} s; backend RSS ${rssGrowth(
        replayMemory,
      )}; backend garbage collections: ${replayGc}`,
    );
    // Each page of the timed re-sync must have come from the recording, or the figure
    // includes the emulator's own work after all.
    if (replayed.pages !== recording.answers) {
      console.log(
        `the re-sync asked ${replayed.pages} pages; ${recording.answers} were recorded: its figure is not the backend's alone`,
      );
      process.exitCode = 1;
    }
    same = (await compareTotals()) && same;

    // What autovacuum does after a bulk insert (statistics and the visibility map), now.
    await pg(`${PREFIX}litemaas`, c =>
      c.query('vacuum analyze litemaas_usage_daily'),
    );
    const baseline = await measure(
      'GET /api/catalog/entities?limit=50 (baseline)',
      headers,
      backend,
      '/api/catalog/entities?limit=50',
    );
    const rows = [baseline];
    for (const groupBy of ['day', 'model']) {
      rows.push(
        await measure(
          `GET /usage year by ${groupBy} (user, 20 keys)`,
          headers,
          backend,
          `/api/litemaas/usage?from=${from}&to=${to}&groupBy=${groupBy}`,
        ),
      );
      rows.push(
        await measure(
          `GET /admin/usage year by ${groupBy} (all ${KEYS} keys)`,
          headers,
          backend,
          `/api/litemaas/admin/usage?from=${from}&to=${to}&groupBy=${groupBy}`,
        ),
      );
    }
    console.log(
      `\n${'route'.padEnd(52)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(
        8,
      )} ${'req/s'.padStart(
        8,
      )}  p95 vs baseline  CPU ms/request: backend, PostgreSQL`,
    );
    for (const r of rows) {
      console.log(
        `${r.label.padEnd(52)} ${fmt(r.p50).padStart(8)} ${fmt(r.p95).padStart(
          8,
        )} ${fmt(r.n / r.wallSeconds).padStart(8)}  ${fmt(
          r.p95 / baseline.p95,
        ).padStart(14)}x  ${fmt(r.backendCpuMs).padStart(16)}, ${fmt(
          r.postgresCpuMs,
        )}`,
      );
    }
    const csv = await timeExport(
      backend,
      headers,
      `/api/litemaas/admin/usage/export.csv?from=${from}&to=${to}`,
    );
    console.log(
      `\nGET /admin/usage/export.csv, everyone's year: ${csv.rows} rows, ${fmt(
        csv.mb,
      )} MB in ${fmt(csv.seconds)} s (${fmt(
        csv.rows / csv.seconds,
      )} rows/s); backend CPU ${fmt(csv.backendCpu)} s`,
    );
    if (!same) process.exitCode = 1;
  } finally {
    backend?.stop();
    emulator.stop();
    rmSync(models.file, { force: true });
    rmSync(gcFile, { force: true });
    await new Promise(r => setTimeout(r, 1500));
    await dropDatabases(PREFIX);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
