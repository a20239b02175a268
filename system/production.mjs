// The portal as it runs in production, for the system tests: the backend bundle
// (packages/backend/dist, what packages/backend/Dockerfile copies into the image) unpacked
// into a folder of its own and started with NODE_ENV=production on app-config.yaml +
// app-config.production.yaml, every secret from the environment, PostgreSQL with a
// database prefix per run, Redis with a key namespace per run, and sign-in through the
// development identity provider (packages/dev-idp) as the production OIDC provider.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import {
  freePort,
  json,
  repoRoot,
  request,
  startProcess,
} from '../bench/lib.mjs';
import {
  PG_URL,
  dropDatabases,
  masterKey,
  startEmulator,
} from '../bench/portal.mjs';
import {
  devUsers,
  portalClient,
  signInToPortal,
  startDevIdp,
} from '../packages/dev-idp/src/index.mjs';

const run = promisify(execFile);
const require = createRequire(path.join(repoRoot, 'package.json'));

export { freePort };

export const REDIS_URL =
  process.env.LITEMAAS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const backendDir = path.join(repoRoot, 'packages/backend');
const bundleFiles = ['skeleton.tar.gz', 'bundle.tar.gz'].map(f =>
  path.join(backendDir, 'dist', f),
);

/**
 * Builds the backend bundle (packages/backend/dist/bundle.tar.gz) unless scripts/test.sh
 * already did in this run (LITEMAAS_BACKEND_BUNDLE_BUILT=1, its "backend bundle" step).
 * Alone, a test first builds the packages the bundle is made of, as the test command's
 * type check and "package builds" steps do; the bundle itself reuses those builds.
 */
export async function buildBundle() {
  if (
    process.env.LITEMAAS_BACKEND_BUNDLE_BUILT === '1' &&
    bundleFiles.every(f => existsSync(f))
  ) {
    return;
  }
  const yarn = async args => {
    try {
      await run('yarn', args, { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      throw new Error(
        `yarn ${args.join(' ')} failed:\n${error.stdout}\n${error.stderr}`,
      );
    }
  };
  await yarn(['tsc']);
  await yarn(['backstage-cli', 'repo', 'build']);
  await yarn(['build:backend', '--skip-build-dependencies']);
}

/**
 * Unpacks the bundle as packages/backend/Dockerfile does (skeleton, then bundle, then the
 * app-config files) into a git-ignored folder of the repository. Where the image runs
 * `yarn workspaces focus --production`, this links the bundle's own workspace packages
 * into its node_modules and lets every other dependency resolve from the repository's
 * install, the versions yarn.lock pins for the image too.
 */
export async function unpackBundle(name) {
  const dir = path.join(repoRoot, '.litemaas/system', name);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  for (const file of bundleFiles) {
    await run('tar', ['xzf', file, '-C', dir]);
  }
  for (const file of ['app-config.yaml', 'app-config.production.yaml']) {
    await fs.copyFile(path.join(repoRoot, file), path.join(dir, file));
  }
  const modules = path.join(dir, 'node_modules');
  await fs.mkdir(path.join(modules, '@litemaas'), { recursive: true });
  for (const parent of ['packages', 'plugins']) {
    for (const entry of await fs.readdir(path.join(dir, parent))) {
      const pkgDir = path.join(dir, parent, entry);
      const { name: pkgName } = JSON.parse(
        await fs.readFile(path.join(pkgDir, 'package.json'), 'utf8'),
      );
      await fs.symlink(pkgDir, path.join(modules, pkgName));
      // Dependencies yarn could not hoist sit next to the workspace package.
      const nested = path.join(repoRoot, parent, entry, 'node_modules');
      if (existsSync(nested)) {
        await fs.symlink(nested, path.join(pkgDir, 'node_modules'));
      }
    }
  }
  return dir;
}

/**
 * The development identity provider as the production OIDC provider, with the portal's
 * client allowed to come back to each of the given backends.
 */
export async function startIdp(backendUrls) {
  return startDevIdp({
    port: 0,
    showUsers: false,
    clients: [
      {
        ...portalClient,
        redirectUris: backendUrls.map(u => `${u}/api/auth/oidc/handler/frame`),
      },
    ],
  });
}

/** Per-run names: the PostgreSQL database prefix and the Redis key namespace. */
export function runNames(kind) {
  const id = `${process.pid}_${randomBytes(3).toString('hex')}`;
  return {
    prefix: `litemaas_sys_${kind}_${id}_`,
    namespace: `litemaas-sys-${kind}-${id}`,
  };
}

/**
 * Starts the unpacked bundle as the image's CMD does, NODE_ENV=production, with every
 * value app-config.production.yaml asks for in the environment, plus
 * system/app-config.system.yaml (this run's port, database prefix, Redis namespace, the
 * replica's name on its PostgreSQL connections and the example organisation) and
 * `configs`. Another backend of the repository runs the same way from its TypeScript
 * `entry` (`transform: true`) on its own `baseConfigs`.
 */
export async function startProductionBackend({
  dir,
  port,
  prefix,
  namespace,
  idp,
  emulatorUrl,
  entry = 'packages/backend',
  transform = false,
  baseConfigs = ['app-config.yaml', 'app-config.production.yaml'],
  configs = [],
  env = {},
  timeoutMs = 240_000,
}) {
  const url = `http://localhost:${port}`;
  const pg = new URL(PG_URL);
  const proc = await startProcess({
    name: `production backend :${port}`,
    cwd: dir,
    transform,
    args: [
      entry,
      ...[
        ...baseConfigs,
        path.join(repoRoot, 'system/app-config.system.yaml'),
        ...configs,
      ].flatMap(file => ['--config', file]),
    ],
    env: {
      NODE_ENV: 'production',
      NODE_OPTIONS: '--no-node-snapshot',
      APP_BASE_URL: 'http://localhost:3000',
      BACKEND_BASE_URL: url,
      POSTGRES_HOST: pg.hostname,
      POSTGRES_PORT: pg.port || '5432',
      POSTGRES_USER: decodeURIComponent(pg.username) || 'postgres',
      // The test server trusts local connections; the value only has to be there.
      POSTGRES_PASSWORD: decodeURIComponent(pg.password) || 'unused',
      REDIS_URL,
      AUTH_SESSION_SECRET: randomBytes(24).toString('hex'),
      AUTH_OIDC_METADATA_URL: `${idp.issuer}/.well-known/openid-configuration`,
      AUTH_OIDC_CLIENT_ID: portalClient.clientId,
      AUTH_OIDC_CLIENT_SECRET: portalClient.clientSecret,
      AUTH_OIDC_EMAIL_DOMAIN: 'example.com',
      LITELLM_BASE_URL: emulatorUrl,
      LITELLM_MASTER_KEY: masterKey,
      LITELLM_PUBLIC_BASE_URL: emulatorUrl,
      LITEMAAS_REVEAL_KEY: randomBytes(24).toString('hex'),
      SYSTEM_BACKEND_PORT: String(port),
      SYSTEM_DB_PREFIX: prefix,
      SYSTEM_REDIS_NAMESPACE: namespace,
      SYSTEM_EXAMPLES_DIR: path.join(repoRoot, 'examples'),
      SYSTEM_REPLICA: 'A',
      ...env,
    },
    timeoutMs,
    ready: async () =>
      (await request(url, 'GET', '/.backstage/health/v1/readiness')).status ===
      200,
  });
  return { ...proc, url };
}

/**
 * The production set-up of a system test: the development identity provider, the LiteLLM
 * emulator and `replicas` backends (named A, B, ...) from one unpacked bundle, on one
 * PostgreSQL database prefix and one Redis namespace, with the secrets replicas must share
 * (the session secret, the reveal key) the same for all, as one Kubernetes Secret gives
 * them. The replicas start one after the other: the first creates the databases and runs
 * the migrations alone (started at once, the one that finds a migration lock taken exits
 * and would need the restart Kubernetes gives it). A start that fails says what each
 * replica started so far printed, from its first line.
 * `stop()` stops everything and drops the databases and the Redis keys.
 */
export async function startProduction({
  kind,
  replicas = 1,
  configs = [],
  env = {},
}) {
  const { prefix, namespace } = runNames(kind);
  const names = Array.from({ length: replicas }, (_, i) =>
    String.fromCharCode(65 + i),
  );
  const ports = [];
  for (let i = 0; i < replicas; i++) ports.push(await freePort());
  const shared = {
    AUTH_SESSION_SECRET: randomBytes(24).toString('hex'),
    LITEMAAS_REVEAL_KEY: randomBytes(24).toString('hex'),
    ...env,
  };
  const stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
    await new Promise(r => setTimeout(r, 1000));
    await dropDatabases(prefix);
    await redisKeys(namespace, { remove: true });
  };
  const backends = [];
  try {
    const idp = await startIdp(ports.map(p => `http://localhost:${p}`));
    stops.push(() => idp.close());
    // The emulator starts while the bundle builds and unpacks.
    const [emulator, dir] = await Promise.all([
      startEmulator(await freePort()),
      buildBundle().then(() => unpackBundle(`${kind}-${process.pid}`)),
    ]);
    stops.push(() => fs.rm(dir, { recursive: true, force: true }));
    stops.push(() => emulator.stop());
    for (const [i, name] of names.entries()) {
      try {
        const backend = await startProductionBackend({
          dir,
          port: ports[i],
          prefix,
          namespace,
          idp,
          emulatorUrl: emulator.url,
          configs,
          env: { ...shared, SYSTEM_REPLICA: name },
        });
        stops.push(() => backend.stop());
        backends.push({ ...backend, name });
      } catch (error) {
        const started = backends.map(
          b => `\n--- replica ${b.name}, started before:\n${b.output()}`,
        );
        error.message = `replica ${name}: ${error.message}${started.join('')}`;
        throw error;
      }
    }
    return { dir, prefix, namespace, idp, emulator, backends, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A user token from the real OIDC flow (as `yarn litemaas token` gets one), once the
 * catalog knows the person: the sign-in resolvers look them up there.
 */
export async function userToken(backendUrl, username) {
  const { password } = devUsers.find(u => u.username === username);
  for (let i = 0; ; i++) {
    try {
      return (
        await signInToPortal({
          backendUrl,
          username,
          password,
          environment: 'production',
        })
      ).token;
    } catch (error) {
      if (i > 120) throw error;
      await new Promise(r => setTimeout(r, 500));
    }
  }
}

/** A small REST client of one backend's /api/litemaas as one user. */
export function litemaas(backendUrl, token) {
  const headers = { authorization: `Bearer ${token}` };
  return (method, p, body) =>
    json(backendUrl, method, `/api/litemaas${p}`, { headers, body });
}

/** The model sync's result: the open models, once the first sync has run. */
export async function openModels(api) {
  for (let i = 0; ; i++) {
    const models = await api('GET', '/models?restricted=false');
    if (models.status === 200 && models.body.items.length > 0) {
      return models.body.items.map(m => m.id);
    }
    if (i > 120) {
      throw new Error(`no models listed: ${JSON.stringify(models.body)}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** One chat completion through LiteLLM (the emulator) with an API key: the status. */
export async function chat(emulatorUrl, secret, model) {
  const res = await fetch(`${emulatorUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${secret}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: 'Hello!' }],
    }),
  });
  return res.status;
}

/**
 * Subscribes the caller of `api` to `model` and mints a key for it: the key as created
 * (`id`, the `secret` shown once), after checking that LiteLLM takes the secret.
 */
export async function subscribeAndMint(api, emulatorUrl, { model, name }) {
  const sub = await api('POST', '/subscriptions', { modelId: model });
  assert.equal(sub.status, 201, JSON.stringify(sub.body));
  assert.equal(sub.body.status, 'active');
  const created = await api('POST', '/keys', { name, models: [model] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.body.secret, /^sk-/);
  assert.equal(await chat(emulatorUrl, created.body.secret, model), 200);
  return created.body;
}

/** Redis keys under a namespace, and their removal (the node-redis client Keyv uses). */
export async function redisKeys(namespace, { remove = false } = {}) {
  const { createClient } = require('@redis/client');
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    const keys = await client.keys(`${namespace}:*`);
    if (remove && keys.length > 0) await client.del(keys);
    return keys;
  } finally {
    await client.quit();
  }
}

/**
 * The golden path through the REST API as one person (`api`, from {@link litemaas}):
 * subscribe to the first open model, mint a key (its secret shown once, never listed),
 * call LiteLLM (the emulator) with it, revoke it, and LiteLLM refuses it.
 */
export async function goldenPath(api, emulatorUrl, name) {
  const [model] = await openModels(api);
  const { id, secret } = await subscribeAndMint(api, emulatorUrl, {
    model,
    name,
  });

  const listed = await api('GET', '/keys');
  assert.deepEqual(
    listed.body.items.map(k => k.id),
    [id],
  );
  assert.equal(JSON.stringify(listed.body).includes(secret), false);

  const revoked = await api('DELETE', `/keys/${id}`);
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.equal(await chat(emulatorUrl, secret, model), 401);
  assert.equal((await api('GET', `/keys/${id}`)).body.status, 'revoked');
}
