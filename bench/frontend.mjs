#!/usr/bin/env node
/*
 * Benchmark of the LiteMaaS pages in a production build of the portal's app, in headless
 * Chromium, against the real backend (which serves the built app) and the LiteLLM emulator.
 *
 *   source scripts/toolchain.sh && node bench/frontend.mjs            # builds packages/app first
 *   source scripts/toolchain.sh && node bench/frontend.mjs --no-build # reuses packages/app/dist
 *
 * Prints:
 *   - the JavaScript and CSS the app loads at start (after sign-in, on the settings page),
 *     and what clicking the LiteMaaS sidebar item loads beyond it: count, raw and gzip
 *     bytes (gzip level 9 of each file, as a server with compression would send it).
 *     Target: at most 250 kB gzip, all of it lazy (none of it in the start-up set).
 *   - the time from clicking the sidebar item to the first model card, and from clicking
 *     "Catalog" to the first catalog row, each on a fresh browser context (cold cache)
 *     over BENCH_ROUNDS (5) rounds, alternating which goes first; medians and their ratio.
 *     Target: LiteMaaS at most 1.2x the catalog.
 *
 * Knobs: BENCH_ROUNDS (5), BENCH_PG_URL. Ports 7307 (backend) and 4307 (emulator). Only this
 * machine is contacted; the databases it creates (prefix litemaas_bench_fe_<pid>_) are dropped.
 */
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fmt, repoRoot, signInAsGuest as waitForGuest } from './lib.mjs';
import { dropDatabases, startBackend, startEmulator } from './portal.mjs';
import { launchBrowser } from '../e2e/portal.mjs';

const ROUNDS = Math.min(Math.max(Number(process.env.BENCH_ROUNDS) || 5, 1), 20);
const BACKEND_PORT = 7307;
const EMULATOR_PORT = 4307;
const prefix = `litemaas_bench_fe_${process.pid}_`;
const appUrl = `http://localhost:${BACKEND_PORT}`;
const dist = path.join(repoRoot, 'packages/app/dist');

if (!process.argv.includes('--no-build') || !existsSync(dist)) {
  console.log('# building packages/app (production)…');
  const started = Date.now();
  const build = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_BACKEND_PORT: String(BACKEND_PORT),
    },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  console.log(`# built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Who a built file's bytes belong to, from its source map: LiteMaaS (the plugin, PatternFly,
 * TanStack Query and PatternFly's focus-trap) or Backstage and the rest.
 */
const OURS =
  /plugins\/litemaas|@patternfly|@tanstack|focus-trap|tabbable|litemaas-common/;
function ownShare(url) {
  try {
    const map = JSON.parse(
      readFileSync(
        path.join(dist, 'static', `${path.basename(url)}.map`),
        'utf8',
      ),
    );
    let ours = 0;
    let all = 0;
    map.sources.forEach((source, i) => {
      const n = map.sourcesContent?.[i]?.length ?? 0;
      all += n;
      if (OURS.test(source)) ours += n;
    });
    return all ? ours / all : 0;
  } catch {
    return 0;
  }
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kB = n => `${(n / 1000).toFixed(1)} kB`;

/** Every script and stylesheet the page fetched, by URL, with its raw and gzip size. */
function recordAssets(page) {
  const assets = new Map();
  page.on('response', async res => {
    const type = res.request().resourceType();
    if (!['script', 'stylesheet'].includes(type)) return;
    const url = res.url().split('?')[0];
    if (assets.has(url)) return;
    assets.set(url, null);
    try {
      const body = await res.body();
      assets.set(url, {
        raw: body.length,
        gzip: gzipSync(body, { level: 9 }).length,
      });
    } catch {
      assets.delete(url);
    }
  });
  return assets;
}

async function signIn(page) {
  await page.goto(`${appUrl}/settings`, { waitUntil: 'networkidle' });
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click({ timeout: 60_000 });
  await enter.waitFor({ state: 'detached', timeout: 30_000 });
  // The settings page renders its tab lazily (its own chunks, and Backstage's
  // core-components with material-table): wait for it, or what it loads late would be
  // counted as loaded by the next click.
  await page
    .getByText('Appearance', { exact: true })
    .waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle');
}

/** Clicks a sidebar item and returns the ms until `ready` is visible. */
async function timeClick(page, name, ready) {
  const link = page.getByRole('link', { name, exact: true }).first();
  await link.waitFor();
  const started = performance.now();
  await link.click();
  await ready(page).waitFor({ timeout: 60_000 });
  return performance.now() - started;
}

const firstModelCard = p => p.getByRole('article').first();
const firstCatalogRow = p => p.locator('table tbody tr a').first();

async function main() {
  await dropDatabases(prefix);
  const emulator = await startEmulator(EMULATOR_PORT);
  let backend;
  const browser = await launchBrowser();
  try {
    backend = await startBackend({
      port: BACKEND_PORT,
      prefix,
      emulatorUrl: emulator.url,
    });
    await waitForGuest(backend.url);

    const litemaas = [];
    const catalog = [];
    let sizes;
    for (let round = 0; round < ROUNDS; round++) {
      const context = await browser.newContext({
        viewport: { width: 1400, height: 1000 },
      });
      const page = await context.newPage();
      const assets = recordAssets(page);
      await signIn(page);
      const atStart = new Set(assets.keys());
      const order =
        round % 2 === 0 ? ['litemaas', 'catalog'] : ['catalog', 'litemaas'];
      for (const which of order) {
        if (which === 'litemaas') {
          const before = new Set(assets.keys());
          litemaas.push(await timeClick(page, 'LiteMaaS', firstModelCard));
          await page.waitForLoadState('networkidle');
          if (round === 0) {
            const lazy = [...assets.entries()].filter(
              ([url, v]) => v && !before.has(url),
            );
            const start = [...atStart]
              .map(url => assets.get(url))
              .filter(Boolean);
            sizes = {
              start: {
                count: start.length,
                raw: start.reduce((s, v) => s + v.raw, 0),
                gzip: start.reduce((s, v) => s + v.gzip, 0),
              },
              lazy: {
                count: lazy.length,
                raw: lazy.reduce((s, [, v]) => s + v.raw, 0),
                gzip: lazy.reduce((s, [, v]) => s + v.gzip, 0),
                ours: lazy.reduce(
                  (s, [url, v]) => s + v.gzip * ownShare(url),
                  0,
                ),
                files: lazy
                  .sort((a, b) => b[1].gzip - a[1].gzip)
                  .map(
                    ([url, v]) =>
                      `${path.basename(url)} ${kB(v.gzip)} (${(
                        ownShare(url) * 100
                      ).toFixed(0)}% LiteMaaS)`,
                  ),
              },
            };
          }
        } else {
          catalog.push(await timeClick(page, 'Catalog', firstCatalogRow));
        }
        // Back to a neutral page without reloading the app.
        await page.getByRole('link', { name: 'Settings' }).first().click();
        await page.waitForURL(/\/settings/);
      }
      await context.close();
    }

    const cpu = os.cpus();
    console.log(
      `\nmachine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(
        os.totalmem() /
        2 ** 30
      ).toFixed(0)} GiB, node ${process.version}`,
    );
    console.log('\n## LiteMaaS chunks (production build)');
    console.log(
      `app start:            ${sizes.start.count} files, ${kB(
        sizes.start.raw,
      )} raw, ${kB(sizes.start.gzip)} gzip`,
    );
    console.log(
      `LiteMaaS beyond that: ${sizes.lazy.count} files, ${kB(
        sizes.lazy.raw,
      )} raw, ${kB(sizes.lazy.gzip)} gzip (target ≤ 250 kB: ${
        sizes.lazy.gzip <= 250_000 ? 'met' : 'MISSED'
      })`,
    );
    console.log(
      `  of which LiteMaaS's own code (plugin, PatternFly, TanStack Query), by source map: ${kB(
        sizes.lazy.ours,
      )} gzip; the rest is Backstage code the app had not loaded yet`,
    );
    console.log('files loaded by the click, biggest first:');
    for (const file of sizes.lazy.files) console.log(`  ${file}`);
    const l = median(litemaas);
    const c = median(catalog);
    console.log(
      `\n## Sidebar click to first content (median of ${ROUNDS}, cold cache)`,
    );
    console.log(
      `LiteMaaS → first model card: ${fmt(l)} ms  [${litemaas
        .map(x => x.toFixed(0))
        .join(', ')}]`,
    );
    console.log(
      `Catalog → first entity row:  ${fmt(c)} ms  [${catalog
        .map(x => x.toFixed(0))
        .join(', ')}]`,
    );
    console.log(
      `ratio LiteMaaS / catalog: ${fmt(l / c)} (target ≤ 1.2: ${
        l / c <= 1.2 ? 'met' : 'MISSED'
      })`,
    );
  } finally {
    await browser.close();
    backend?.stop();
    emulator.stop();
    await new Promise(r => setTimeout(r, 1000));
    await dropDatabases(prefix);
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
