// Starts the portal (as Command 1 does, on e2e ports) and drives it with a real headless
// Chromium. Shared by the browser tests in this folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
/** The app from Command 1's development server. */
export const appUrl = 'http://localhost:3100';
export const backendUrl = 'http://localhost:7107';
/** The app's production build, served by the backend (app-backend) as in production. */
export const builtAppUrl = backendUrl;
export const litellmUrl = 'http://localhost:4100';
/** The development identity provider (packages/dev-idp) that Command 1 starts. */
export const idpUrl = 'http://localhost:7400';

export function findChromium() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ].filter(Boolean);
  const found = candidates.find(p => existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium found: install Debian\'s "chromium" package or set CHROMIUM_PATH',
    );
  }
  return found;
}

async function waitFor(url, deadline, exited) {
  let last;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the portal exited before ${url} answered`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer in time (${last})`);
}

/**
 * Builds the app for production (packages/app/dist) unless scripts/test.sh already did in
 * this run (LITEMAAS_APP_BUILT=1, its "app build" step).
 */
export function buildApp() {
  const dist = path.join(repoRoot, 'packages/app/dist/index.html');
  if (process.env.LITEMAAS_APP_BUILT === '1' && existsSync(dist)) return;
  const build = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (build.status !== 0) {
    throw new Error(
      `yarn workspace app build failed:\n${build.stdout}\n${build.stderr}`,
    );
  }
}

/**
 * Starts Command 1 (scripts/start.sh: the LiteLLM emulator, the development identity
 * provider and `yarn start`) with the e2e config and ports (plus `configs`, files relative
 * to the repository), in its own process group.
 *
 * `app: 'built'` starts the same portal with the app's production build instead of the
 * development server: only the backend package, which serves packages/app/dist at
 * `builtAppUrl` as it does in production. A page of the development bundle takes about
 * 10 s to load in Chromium on 2 cores, the production build a fraction of it; the tests
 * that open many pages use it, and portal.test.mjs keeps Command 1 exactly as it is.
 */
export async function startPortal({
  timeoutMs = 240_000,
  configs = [],
  app = 'dev',
} = {}) {
  const started = Date.now();
  if (app === 'built') buildApp();
  const url = app === 'built' ? builtAppUrl : appUrl;
  const child = spawn(
    'bash',
    [
      'scripts/start.sh',
      ...(app === 'built' ? ['backend'] : []),
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      path.join(repoRoot, 'e2e/app-config.e2e.yaml'),
      ...(app === 'built'
        ? ['--config', path.join(repoRoot, 'e2e/app-config.built-app.yaml')]
        : []),
      ...configs.flatMap(config => ['--config', path.join(repoRoot, config)]),
    ],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LITELLM_BASE_URL: '',
        LITELLM_EMULATOR_PORT: new URL(litellmUrl).port,
        AUTH_OIDC_METADATA_URL: '',
        DEV_IDP_PORT: new URL(idpUrl).port,
      },
    },
  );
  let output = '';
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const keep = chunk => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  try {
    const deadline = started + timeoutMs;
    await waitFor(`${litellmUrl}/health/liveliness`, deadline, () => exited);
    await waitFor(`${backendUrl}/api/litemaas/health`, deadline, () => exited);
    await waitFor(url, deadline, () => exited);
  } catch (e) {
    stop();
    throw new Error(`${e.message}\n--- portal output ---\n${output}`);
  }
  return {
    stop,
    appUrl: url,
    startupMs: Date.now() - started,
    output: () => output,
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: findChromium(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens the app and signs in as the development guest ("Enter"), retrying a click that
 * lands before the page is ready. */
export async function signInAsGuest(page, url = appUrl) {
  await page.goto(url, { waitUntil: 'networkidle' });
  const enter = page.getByRole('button', { name: 'Enter' });
  for (let attempt = 1; ; attempt++) {
    await enter.waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    await enter.click();
    try {
      await enter.waitFor({ state: 'detached', timeout: 15_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.reload({ waitUntil: 'networkidle' });
    }
  }
}
