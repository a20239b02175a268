#!/usr/bin/env node
/*
 * Two backend instances on one PostgreSQL database: the model sync and the usage sync
 * (both `scope: 'global'` scheduled tasks) must run once per schedule, not once per
 * instance.
 *
 *   source scripts/toolchain.sh && node bench/usage-replicas.mjs
 *
 * Both instances run with a BENCH_PERIOD (10 s) schedule for BENCH_WINDOW (60 s); the
 * emulator counts the calls each job makes (`/model/info` once per model sync,
 * `/user/daily/activity` once per usage sync here: one window of one page). Prints the
 * runs observed against the runs one instance would make.
 */
import path from 'node:path';
import { fmt, repoRoot } from './lib.mjs';
import {
  countCalls,
  dropDatabases,
  startBackend,
  startEmulator,
} from './portal.mjs';

const usageConfig = path.join(repoRoot, 'bench/app-config.usage-bench.yaml');

const PERIOD = Number(process.env.BENCH_PERIOD ?? 10);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 60);
const PREFIX = `litemaas_urep_${process.pid}_`;

async function main() {
  await dropDatabases(PREFIX);
  const emulator = await startEmulator(4800 + (process.pid % 100));
  const backends = [];
  try {
    // The first instance creates the schema; the second joins the same database.
    for (const port of [
      7800 + (process.pid % 100),
      7900 + (process.pid % 100),
    ]) {
      backends.push(
        await startBackend({
          port,
          prefix: PREFIX,
          emulatorUrl: emulator.url,
          configs: [usageConfig],
          env: {
            BENCH_SYNC_SECONDS: String(PERIOD),
            BENCH_SYNC_DELAY: String(1),
          },
        }),
      );
    }
    const read = await countCalls(emulator.url, [
      '/model/info',
      '/user/daily/activity',
    ]);
    const before = await read();
    await new Promise(r => setTimeout(r, WINDOW * 1000));
    const after = await read();
    const expected = WINDOW / PERIOD;
    console.log(
      `\n2 instances, one PostgreSQL database, schedule every ${PERIOD} s, observed ${WINDOW} s (≈ ${fmt(
        expected,
      )} runs for one instance):`,
    );
    for (const [p, job] of [
      ['/model/info', 'model sync'],
      ['/user/daily/activity', 'usage sync'],
    ]) {
      const runs = after[p] - before[p];
      console.log(
        `  ${job.padEnd(11)} runs: ${runs}  (${fmt(
          runs / expected,
        )}x one instance's schedule; 2.00x would mean each instance ran it)`,
      );
    }
  } finally {
    for (const b of backends) b.stop();
    emulator.stop();
    await new Promise(r => setTimeout(r, 1500));
    await dropDatabases(PREFIX);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
