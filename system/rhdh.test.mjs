// Red Hat Developer Hub dynamic plugins: the LiteMaaS packages exported by `yarn
// export-dynamic` (@red-hat-developer-hub/cli), installed from
// docs/deployment/dynamic-plugins.yaml (their pluginConfig is the only LiteMaaS
// configuration), loaded by a backend built as RHDH's is (packages/backend-dynamic:
// @backstage/backend-dynamic-feature-service, permissions from the RBAC files of
// docs/deployment) on PostgreSQL and Redis with OIDC sign-in, and used: the plugins come
// from the exported folders and no workspace code is loaded, the catalog module writes
// the models, the scaffolder module's actions are registered, RBAC's roles and
// conditional policy decide, and the golden path works with a real user token.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { json, repoRoot } from '../bench/lib.mjs';
import { dropDatabases, startEmulator } from '../bench/portal.mjs';
import {
  freePort,
  goldenPath,
  litemaas,
  openModels,
  redisKeys,
  runNames,
  startIdp,
  startProductionBackend,
  userToken,
} from './production.mjs';
import { ensureExported, installDynamicPlugins } from './rhdh.mjs';

const { prefix, namespace } = runNames('rhdh');
const runDir = path.join(repoRoot, '.litemaas/system', `rhdh-${process.pid}`);
const root = path.join(runDir, 'dynamic-plugins-root');
const stops = [];
let backend;
let emulator;
let install;

const version = dir =>
  JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8'))
    .version;

before(async () => {
  const [backendPort, emulatorPort] = [await freePort(), await freePort()];
  const idp = await startIdp([`http://localhost:${backendPort}`]);
  stops.push(() => idp.close());
  // The emulator starts while the plugins are exported and installed.
  const [emu, installedPlugins] = await Promise.all([
    startEmulator(emulatorPort),
    ensureExported().then(() => installDynamicPlugins({ root })),
  ]);
  emulator = emu;
  install = installedPlugins;
  stops.push(() => emulator.stop());
  backend = await startProductionBackend({
    dir: repoRoot,
    entry: 'packages/backend-dynamic/src/index.ts',
    transform: true,
    baseConfigs: ['packages/backend-dynamic/app-config.yaml'],
    configs: [install.configFile],
    port: backendPort,
    prefix,
    namespace,
    idp,
    emulatorUrl: emulator.url,
    env: { DYNAMIC_PLUGINS_ROOT: root },
  });
  stops.push(() => backend.stop());
});

after(async () => {
  for (const stop of stops.reverse()) await stop();
  await new Promise(r => setTimeout(r, 1000));
  await dropDatabases(prefix);
  await redisKeys(namespace, { remove: true });
  await fs.rm(runDir, { recursive: true, force: true });
});

test('dynamic-plugins.yaml installs the four exported packages; RHDH provides notifications', () => {
  assert.deepEqual(install.installed, [
    'litemaas-backstage-plugin-litemaas-backend',
    'litemaas-backstage-plugin-catalog-backend-module-litemaas',
    'litemaas-backstage-plugin-scaffolder-backend-module-litemaas',
    'litemaas-backstage-plugin-litemaas',
  ]);
  assert.deepEqual(install.rhdhOwn, [
    'backstage-plugin-notifications-backend-dynamic',
    'backstage-plugin-notifications',
  ]);
});

test('the LiteMaaS plugins are loaded from the dynamic plugins root, and nothing from the workspace', async () => {
  const headers = {
    authorization: `Bearer ${await userToken(backend.url, 'bob')}`,
  };
  const loaded = await json(
    backend.url,
    'GET',
    '/api/dynamic-plugins-info/loaded-plugins',
    { headers },
  );
  assert.equal(loaded.status, 200, JSON.stringify(loaded.body));
  const plugin = (name, dir, role, platform) => ({
    name: `${name}-dynamic`,
    version: version(dir),
    role,
    platform,
    location: path.join(root, name.replace('@', '').replace('/', '-')),
  });
  const byName = (a, b) => a.name.localeCompare(b.name);
  assert.deepEqual(
    [...loaded.body].sort(byName),
    [
      plugin(
        '@litemaas/backstage-plugin-catalog-backend-module-litemaas',
        'plugins/catalog-backend-module-litemaas',
        'backend-plugin-module',
        'node',
      ),
      plugin(
        '@litemaas/backstage-plugin-litemaas',
        'plugins/litemaas',
        'frontend-plugin',
        'web',
      ),
      plugin(
        '@litemaas/backstage-plugin-litemaas-backend',
        'plugins/litemaas-backend',
        'backend-plugin',
        'node',
      ),
      plugin(
        '@litemaas/backstage-plugin-scaffolder-backend-module-litemaas',
        'plugins/scaffolder-backend-module-litemaas',
        'backend-plugin-module',
        'node',
      ),
    ].sort(byName),
  );

  const modules = async under =>
    (
      await json(
        backend.url,
        'GET',
        `/api/dynamic-plugins-info/modules?under=${encodeURIComponent(under)}`,
        { headers },
      )
    ).body;
  // Not one file of the workspace's plugins (their TypeScript sources, their builds).
  assert.deepEqual(
    await modules(path.join(repoRoot, 'plugins') + path.sep),
    [],
  );
  // The shared code of litemaas-common is the copy embedded in each backend package.
  const common =
    'node_modules/@litemaas/backstage-plugin-litemaas-common/dist/index.cjs.js';
  const loadedFromRoot = await modules(root + path.sep);
  for (const folder of install.installed.filter(
    f => f !== 'litemaas-backstage-plugin-litemaas',
  )) {
    assert.ok(
      loadedFromRoot.includes(path.join(root, folder, 'dist/index.cjs.js')),
      folder,
    );
    assert.ok(loadedFromRoot.includes(path.join(root, folder, common)), folder);
  }
  // The backend plugin finds its migrations by package name, which RHDH's loader
  // resolves to the dynamic package: they ran from there.
  const migrations = path.join(
    root,
    'litemaas-backstage-plugin-litemaas-backend/migrations',
  );
  assert.deepEqual(
    loadedFromRoot.filter(f => f.startsWith(migrations + path.sep)).sort(),
    readdirSync(migrations)
      .filter(f => f.endsWith('.js'))
      .map(f => path.join(migrations, f))
      .sort(),
  );
});

test('the catalog module writes every LiteLLM model into the catalog', async () => {
  const token = await userToken(backend.url, 'bob');
  const headers = { authorization: `Bearer ${token}` };
  const api = litemaas(backend.url, token);
  await openModels(api);
  const all = (await api('GET', '/models')).body.items.map(m => m.id).sort();
  // The provider's first run may have come before LiteMaaS's first model sync; its next
  // one is a schedule period (5 minutes) later, so the test asks the scheduler for it.
  const trigger = () =>
    json(
      backend.url,
      'POST',
      '/api/catalog/.backstage/scheduler/v1/tasks/LiteMaaSEntityProvider:refresh/trigger',
      { headers },
    );
  const triggered = await trigger();
  assert.ok([200, 409].includes(triggered.status), JSON.stringify(triggered));
  for (let i = 0; ; i++) {
    const entities = await json(
      backend.url,
      'GET',
      '/api/catalog/entities/by-query?filter=kind=resource,spec.type=ai-model&limit=500',
      { headers },
    );
    const ids = (entities.body.items ?? [])
      .map(e => e.metadata.annotations['litemaas.io/model-id'])
      .sort();
    if (ids.length === all.length || i > 240) {
      assert.deepEqual(ids, all);
      break;
    }
    // A run that was under way when asked (409) read the models before they were there.
    if (i % 20 === 19) await trigger();
    await new Promise(r => setTimeout(r, 500));
  }
});

test('the scaffolder module registers the litemaas template actions', async () => {
  const headers = {
    authorization: `Bearer ${await userToken(backend.url, 'bob')}`,
  };
  const actions = await json(backend.url, 'GET', '/api/scaffolder/v2/actions', {
    headers,
  });
  assert.equal(actions.status, 200, JSON.stringify(actions.body));
  assert.deepEqual(
    actions.body
      .map(a => a.id)
      .filter(id => id.startsWith('litemaas:'))
      .sort(),
    ['litemaas:key:create', 'litemaas:subscription:ensure'],
  );
});

test('what RBAC reads of the plugin: its permissions and the IS_KEY_OWNER rule (pluginsWithPermission)', async () => {
  const headers = {
    authorization: `Bearer ${await userToken(backend.url, 'bob')}`,
  };
  const metadata = await json(
    backend.url,
    'GET',
    '/api/litemaas/.well-known/backstage/permissions/metadata',
    { headers },
  );
  assert.equal(metadata.status, 200, JSON.stringify(metadata.body));
  assert.deepEqual(
    metadata.body.permissions.map(p => [
      p.name,
      p.attributes.action,
      p.resourceType ?? null,
    ]),
    [
      ['litemaas.key.create', 'create', null],
      ['litemaas.key.read', 'read', 'litemaas-key'],
      ['litemaas.key.update', 'update', 'litemaas-key'],
      ['litemaas.key.delete', 'delete', 'litemaas-key'],
      ['litemaas.model.manage', 'update', null],
      ['litemaas.subscription.approve', 'update', null],
      ['litemaas.key.admin', 'update', null],
      ['litemaas.limits.manage', 'update', null],
      ['litemaas.audit.read', 'read', null],
    ],
  );
  assert.deepEqual(
    metadata.body.rules.map(r => [r.name, r.resourceType]),
    [['IS_KEY_OWNER', 'litemaas-key']],
  );
});

test('RBAC roles decide LiteMaaS permissions: the admin role reads the audit trail, a user may not', async () => {
  const as = async user =>
    litemaas(backend.url, await userToken(backend.url, user));
  assert.equal((await (await as('alice'))('GET', '/admin/audit')).status, 200);
  assert.equal((await (await as('bob'))('GET', '/admin/audit')).status, 403);
});

test('golden path with a real user token: subscribe, mint, call LiteLLM, revoke', async () => {
  const api = litemaas(backend.url, await userToken(backend.url, 'bob'));
  await goldenPath(api, emulator.url, 'RHDH golden path');
});

test("the conditional policy: a user of the litemaas-user role cannot see or revoke another one's key", async () => {
  const bob = litemaas(backend.url, await userToken(backend.url, 'bob'));
  const carol = litemaas(backend.url, await userToken(backend.url, 'carol'));
  const [model] = await openModels(carol);
  await carol('POST', '/subscriptions', { modelId: model });
  const created = await carol('POST', '/keys', {
    name: 'carol only',
    models: [model],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await bob('GET', `/keys/${created.body.id}`)).status, 404);
  assert.equal((await bob('DELETE', `/keys/${created.body.id}`)).status, 404);
  assert.equal(
    (await carol('GET', `/keys/${created.body.id}`)).body.status,
    'active',
  );
});

test('the frontend package is the Scalprum bundle that dynamic-plugins.yaml configures, exporting what it mounts', () => {
  const dir = path.join(root, 'litemaas-backstage-plugin-litemaas');
  const manifest = JSON.parse(
    readFileSync(path.join(dir, 'dist-scalprum/plugin-manifest.json'), 'utf8'),
  );
  assert.equal(manifest.name, 'litemaas.backstage-plugin-litemaas');
  assert.equal(manifest.version, version('plugins/litemaas'));
  assert.equal(manifest.loadScripts.length, 1);
  assert.ok(
    readFileSync(path.join(dir, 'dist-scalprum', manifest.loadScripts[0]))
      .length > 0,
  );

  // The names the page route and the entity cards import, and the conditions they call,
  // are values the plugin exports (its API report, which the test command checks against
  // the code); the Scalprum bundle exposes that same entry point (src/index.ts).
  const front = install.config.dynamicPlugins.frontend[manifest.name];
  const named = [
    ...front.dynamicRoutes.map(r => r.importName),
    ...front.mountPoints.map(m => m.importName),
    ...front.mountPoints.flatMap(m => m.config.if.allOf),
  ];
  assert.deepEqual(named, [
    'LiteMaaSPage',
    'EntityLiteMaaSModelCard',
    'EntityLiteMaaSLlmAccessCard',
    'EntityLiteMaaSTeamCard',
    'isLiteMaaSModelEntity',
    'isLiteMaaSConsumerEntity',
    'isLiteMaaSTeamEntity',
  ]);
  const report = readFileSync(
    path.join(repoRoot, 'plugins/litemaas/report.api.md'),
    'utf8',
  );
  const exported = [
    ...report.matchAll(/^export (?:const|function|class) (\w+)/gm),
  ].map(m => m[1]);
  assert.deepEqual(
    named.filter(n => !exported.includes(n)),
    [],
  );
});
