// The packages this repository publishes to npm, packed as `yarn npm publish` would pack
// them (each package's prepack rewrites its entry points into dist, yarn turns the
// workspace: ranges into versions): what a plain create-app portal would install.
//
// Needs the package builds (`yarn tsc && yarn backstage-cli repo build`); scripts/test.sh
// runs it last, once nothing else reads the packages' package.json files (prepack
// rewrites each one in place for a moment, and postpack puts it back).
//
//   node --test scripts/published-packages.test.mjs
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const rootManifest = JSON.parse(
  readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
);

/** Every workspace that is not private: what `changeset publish` publishes. */
async function publishedWorkspaces() {
  const { stdout } = await run('yarn', ['workspaces', 'list', '--json'], {
    cwd: repoRoot,
  });
  return stdout
    .trim()
    .split('\n')
    .map(line => JSON.parse(line))
    .filter(w => w.location !== '.')
    .map(w => ({
      dir: w.location,
      manifest: JSON.parse(
        readFileSync(path.join(repoRoot, w.location, 'package.json'), 'utf8'),
      ),
    }))
    .filter(w => !w.manifest.private);
}

const workspaces = await publishedWorkspaces();
const versions = new Map(
  workspaces.map(w => [w.manifest.name, w.manifest.version]),
);

/** Where a create-app portal adds each kind of package. */
const INSTALL_TARGET = {
  'frontend-plugin': 'yarn --cwd packages/app add',
  'backend-plugin': 'yarn --cwd packages/backend add',
  'backend-plugin-module': 'yarn --cwd packages/backend add',
  'common-library': 'yarn --cwd packages/<your-package> add',
  'node-library': 'yarn add --dev',
};

/** The string leaves of an exports map (or typesVersions), i.e. the files it names. */
function targets(map) {
  if (typeof map === 'string') return [map];
  if (Array.isArray(map)) return map.flatMap(targets);
  if (map && typeof map === 'object')
    return Object.values(map).flatMap(targets);
  return [];
}

/** The package a bare import names (`@scope/name/sub` → `@scope/name`), or null. */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return null;
  if (specifier.startsWith('node:') || builtinModules.includes(specifier))
    return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

it('publishes the five plugin packages and the LiteLLM emulator, nothing else', () => {
  assert.deepEqual(workspaces.map(w => w.manifest.name).sort(), [
    '@litemaas/backstage-plugin-catalog-backend-module-litemaas',
    '@litemaas/backstage-plugin-litemaas',
    '@litemaas/backstage-plugin-litemaas-backend',
    '@litemaas/backstage-plugin-litemaas-common',
    '@litemaas/backstage-plugin-scaffolder-backend-module-litemaas',
    '@litemaas/litellm-emulator',
  ]);
});

const packFolders = [];
after(() =>
  Promise.all(packFolders.map(f => fs.rm(f, { recursive: true, force: true }))),
);

/** Packs and unpacks one workspace: its manifest and file list as published. */
async function pack(dir) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'litemaas-pack-'));
  packFolders.push(tmp);
  const tarball = path.join(tmp, 'package.tgz');
  await run('yarn', ['pack', '--out', tarball], {
    cwd: path.join(repoRoot, dir),
    maxBuffer: 16 * 1024 * 1024,
  });
  await run('tar', ['-xzf', tarball, '-C', tmp]);
  const unpacked = path.join(tmp, 'package');
  return {
    unpacked,
    manifest: JSON.parse(
      await fs.readFile(path.join(unpacked, 'package.json'), 'utf8'),
    ),
    files: (await fs.readdir(unpacked, { recursive: true })).map(f =>
      f.split(path.sep).join('/'),
    ),
  };
}

/**
 * Every workspace packed at once, up front: each pack is mostly yarn starting and the
 * prepack waiting on its own process (one after the other they took 41-43 s on two
 * cores, side by side 33-34 s). Each pack rewrites only its own package.json.
 */
const packs = new Map(workspaces.map(w => [w.dir, pack(w.dir)]));
// Awaited by the package's tests; a failure is theirs, not an unhandled rejection.
for (const packed of packs.values()) packed.catch(() => {});

for (const { dir, manifest: source } of workspaces) {
  describe(source.name, () => {
    let unpacked;
    let manifest;
    let files;

    before(async () => {
      ({ unpacked, manifest, files } = await packs.get(dir));
    });

    it('leaves its package.json in the repository as it was', () => {
      assert.deepEqual(
        JSON.parse(
          readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8'),
        ),
        source,
      );
    });

    it('says what it is and where it comes from', () => {
      assert.equal(manifest.private, undefined);
      assert.match(manifest.version, /^\d+\.\d+\.\d+(-[\w.]+)?$/);
      assert.equal(manifest.license, 'Apache-2.0');
      assert.ok(manifest.description?.length > 20, 'a description');
      assert.ok(manifest.keywords?.length > 0, 'keywords');
      assert.deepEqual(manifest.repository, {
        ...rootManifest.repository,
        directory: dir,
      });
      assert.equal(manifest.publishConfig?.access, 'public');
      assert.ok(
        Object.keys(INSTALL_TARGET).includes(manifest.backstage?.role),
        `backstage.role ${manifest.backstage?.role}`,
      );
    });

    it('names every dependency by a published version range', () => {
      for (const field of [
        'dependencies',
        'peerDependencies',
        'optionalDependencies',
      ]) {
        for (const [name, range] of Object.entries(manifest[field] ?? {})) {
          assert.doesNotMatch(
            range,
            /^(workspace|link|file|portal):/,
            `${field} ${name}`,
          );
          if (name.startsWith('@litemaas/')) {
            assert.ok(versions.has(name), `${name} is published too`);
            assert.equal(range, `^${versions.get(name)}`, `${field} ${name}`);
          }
        }
      }
    });

    it('has every entry point it declares, built', () => {
      const declared = [
        manifest.main,
        manifest.module,
        manifest.types,
        manifest.configSchema,
        ...targets(manifest.exports),
        ...targets(manifest.typesVersions),
      ].filter(f => f && !f.startsWith('@')); // '@backstage/…' marks a feature's kind
      assert.ok(declared.some(f => /dist\/index\.(cjs|esm)\.js$/.test(f)));
      for (const file of declared) {
        assert.ok(
          existsSync(path.join(unpacked, file)),
          `${file} is in the tarball`,
        );
        assert.doesNotMatch(file, /(^|\/)src\//, `${file} points into dist`);
      }
    });

    it('ships its build, README and CHANGELOG, and no sources or tests', () => {
      assert.ok(files.includes('README.md'));
      assert.ok(files.includes('CHANGELOG.md'));
      assert.deepEqual(
        files.filter(f =>
          /(^src\/|\.test\.|__testUtils__|__fixtures__|\.tgz$)/.test(f),
        ),
        [],
      );
      if (source.name === '@litemaas/backstage-plugin-litemaas-backend') {
        const migrations = readdirSync(
          path.join(repoRoot, dir, 'migrations'),
        ).filter(f => f.endsWith('.js'));
        assert.deepEqual(
          files.filter(f => f.startsWith('migrations/')).sort(),
          migrations.map(m => `migrations/${m}`).sort(),
        );
      }
    });

    it('declares every package its build imports', async () => {
      const declared = new Set([
        manifest.name,
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      const missing = new Set();
      for (const file of files.filter(f => /^dist\/.*\.(c|m)?js$/.test(f))) {
        const code = await fs.readFile(path.join(unpacked, file), 'utf8');
        const imports = [
          ...code.matchAll(/\brequire\((['"])([^'"\s]+)\1\)/g),
          ...code.matchAll(
            /^\s*(?:import|export)\b[^'";]*?\bfrom\s*(['"])([^'"\s]+)\1/gm,
          ),
          ...code.matchAll(/^\s*import\s*(['"])([^'"\s]+)\1/gm),
          ...code.matchAll(/\bimport\((['"])([^'"\s]+)\1\)/g),
        ].map(m => m[2]);
        for (const specifier of imports) {
          const pkg = packageOf(specifier);
          if (pkg && !declared.has(pkg)) missing.add(`${pkg} (${file})`);
        }
      }
      assert.deepEqual([...missing], []);
    });

    it('tells a create-app portal how to install it', () => {
      const readme = readFileSync(path.join(unpacked, 'README.md'), 'utf8');
      const command = `${INSTALL_TARGET[manifest.backstage.role]} ${
        manifest.name
      }`;
      assert.ok(readme.includes(command), `README says \`${command}\``);
    });
  });
}
