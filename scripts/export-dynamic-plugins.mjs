#!/usr/bin/env node
// `yarn export-dynamic`: exports the four LiteMaaS plugins as Red Hat Developer Hub dynamic
// plugins, each with its own `export-dynamic` script (`rhdh-cli plugin export`, from the
// pinned `@red-hat-developer-hub/cli`), and gathers them in .litemaas/dynamic-plugins
// (git-ignored), one folder per package named as `rhdh-cli plugin package` names them in
// a plugin image:
//
//   litemaas-backstage-plugin-litemaas-backend                    backend plugin
//   litemaas-backstage-plugin-catalog-backend-module-litemaas     catalog module
//   litemaas-backstage-plugin-scaffolder-backend-module-litemaas  scaffolder module
//   litemaas-backstage-plugin-litemaas                            frontend (dist-scalprum)
//
// Backend packages: `dist` plus a package.json whose @backstage/* dependencies are peers
// (the host's), their private dependencies installed into their own node_modules, and
// @litemaas/backstage-plugin-litemaas-common (private, never published) embedded under
// `embedded/` (the CLI embeds a `-common` package by itself only for `-backend` plugins,
// so every backend package's script names it). The frontend package: the Scalprum bundle
// RHDH loads (`dist-scalprum`), without the module federation assets of RHDH's
// experimental new-frontend-system loader, which the CLI would write into the plugin's own
// `dist`, over its package build.
//
// Options: --no-build  reuse the backend packages' `dist` (after `yarn tsc` and
//                      `yarn backstage-cli repo build`, or the test command's "package
//                      builds" step) instead of building them
//          --out DIR   another output folder
//          --only NAME export only the package(s) whose name contains NAME (repeatable)
// `docs/deployment/rhdh.md` says how to install the result into RHDH.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);

export const DYNAMIC_PLUGINS_DIR = path.join(
  repoRoot,
  '.litemaas/dynamic-plugins',
);

/**
 * The workspace packages with an `export-dynamic` script: folder, name and whether the
 * backend build can be skipped for them (the frontend export always bundles from source).
 */
export async function dynamicPackages() {
  const found = [];
  for (const parent of ['plugins', 'packages']) {
    for (const entry of (
      await fs.readdir(path.join(repoRoot, parent))
    ).sort()) {
      const dir = path.join(parent, entry);
      const file = path.join(repoRoot, dir, 'package.json');
      const pkg = JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{}'));
      if (pkg.scripts?.['export-dynamic']) {
        found.push({
          dir,
          name: pkg.name,
          backend: pkg.backstage.role.startsWith('backend-'),
        });
      }
    }
  }
  return found;
}

/** `@scope/name` -> `scope-name`: the folder of a package in a plugin image. */
export function dynamicFolderName(packageName) {
  return packageName.replace(/^@/, '').replace('/', '-');
}

/**
 * Runs each package's `export-dynamic` script (which writes its `dist-dynamic`), then
 * moves the result to `out`, so nothing of it stays inside the workspace for jest, lint or
 * prettier to find. The frontend's export (a webpack build, one core) runs next to the
 * backend packages' ones (one after the other: each installs its private dependencies
 * with yarn), which on 2 cores takes about the frontend's time instead of the sum.
 * Resolves with how long each export took, in seconds; rejects with the first failure
 * once every export has ended.
 */
export async function exportDynamicPlugins({
  build = true,
  out = DYNAMIC_PLUGINS_DIR,
  only = [],
  log = () => {},
} = {}) {
  await fs.mkdir(out, { recursive: true });
  const seconds = {};
  const exportOne = async pkg => {
    const cwd = path.join(repoRoot, pkg.dir);
    const args = [
      'export-dynamic',
      ...(!build && pkg.backend ? ['--no-build'] : []),
    ];
    log(`yarn ${args.join(' ')}  (${pkg.dir})`);
    const start = process.hrtime.bigint();
    try {
      await run('yarn', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      throw new Error(
        `yarn ${args.join(' ')} failed in ${pkg.dir}:\n${error.stdout}\n${
          error.stderr
        }`,
      );
    }
    const target = path.join(out, dynamicFolderName(pkg.name));
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(path.join(cwd, 'dist-dynamic'), target);
    seconds[pkg.name] = Number(process.hrtime.bigint() - start) / 1e9;
    log(
      `  -> ${path.relative(repoRoot, target)} (${seconds[pkg.name].toFixed(
        1,
      )} s)`,
    );
  };
  const inOrder = async pkgs => {
    for (const pkg of pkgs) await exportOne(pkg);
  };
  const chosen = (await dynamicPackages()).filter(
    pkg => only.length === 0 || only.some(o => pkg.name.includes(o)),
  );
  const ended = await Promise.allSettled([
    inOrder(chosen.filter(pkg => !pkg.backend)),
    inOrder(chosen.filter(pkg => pkg.backend)),
  ]);
  const failed = ended.find(r => r.status === 'rejected');
  if (failed) throw failed.reason;
  return seconds;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string', default: DYNAMIC_PLUGINS_DIR },
      only: { type: 'string', multiple: true, default: [] },
    },
  });
  await exportDynamicPlugins({
    build: !values['no-build'],
    out: path.resolve(values.out),
    only: values.only,
    log: line => console.log(line),
  });
}
