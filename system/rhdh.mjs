// Red Hat Developer Hub, as far as it can run here: the LiteMaaS plugins exported as dynamic
// plugins (`yarn export-dynamic`), installed from docs/deployment/dynamic-plugins.yaml
// into a dynamic plugins root as RHDH's installer does, and loaded by packages/backend-dynamic
// (a backend built as RHDH's is, with @backstage/backend-dynamic-feature-service).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../bench/lib.mjs';
import {
  DYNAMIC_PLUGINS_DIR,
  dynamicFolderName,
  dynamicPackages,
  exportDynamicPlugins,
} from '../scripts/export-dynamic-plugins.mjs';

const run = promisify(execFile);
const require = createRequire(
  path.join(repoRoot, 'packages/backend-dynamic/package.json'),
);
const YAML = require('yaml');

export const DYNAMIC_PLUGINS_YAML = path.join(
  repoRoot,
  'docs/deployment/dynamic-plugins.yaml',
);

/**
 * Exports the four packages into .litemaas/dynamic-plugins unless scripts/test.sh already
 * did in this run (LITEMAAS_DYNAMIC_PLUGINS_EXPORTED=1, its "dynamic plugin export" step).
 * Alone, a test first writes the declarations the backend package builds read, as the test
 * command's type check does; the export builds the packages.
 */
export async function ensureExported() {
  const folders = (await dynamicPackages()).map(p =>
    path.join(DYNAMIC_PLUGINS_DIR, dynamicFolderName(p.name)),
  );
  if (
    process.env.LITEMAAS_DYNAMIC_PLUGINS_EXPORTED === '1' &&
    folders.every(f => existsSync(f))
  ) {
    return;
  }
  try {
    await run('yarn', ['tsc'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    throw new Error(`yarn tsc failed:\n${error.stdout}\n${error.stderr}`);
  }
  await exportDynamicPlugins();
}

/** `b` merged into `a`, objects key by key; anything else in `b` wins. */
function merge(a, b) {
  if (!isObject(a) || !isObject(b)) return b;
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
  return out;
}
const isObject = v => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What RHDH's installer does with a dynamic-plugins.yaml: every enabled plugin is put into
 * the dynamic plugins root `root` (here: copied from the exported folder its `package`
 * names, `oci://...!<folder>` or a path ending in `<folder>`), and the `pluginConfig` of
 * every enabled plugin is merged into one app-config file, returned (file and content)
 * with what was installed. RHDH's own plugins (`./dynamic-plugins/dist/...`) are built into the test's
 * backend instead and are returned apart.
 */
export async function installDynamicPlugins({
  yamlFile = DYNAMIC_PLUGINS_YAML,
  from = DYNAMIC_PLUGINS_DIR,
  root,
}) {
  const { plugins } = YAML.parse(await fs.readFile(yamlFile, 'utf8'));
  await fs.rm(root, { recursive: true, force: true });
  await fs.mkdir(root, { recursive: true });
  const installed = [];
  const rhdhOwn = [];
  let config = {};
  for (const plugin of plugins.filter(p => !p.disabled)) {
    if (plugin.package.startsWith('./dynamic-plugins/dist/')) {
      rhdhOwn.push(path.basename(plugin.package));
    } else {
      const folder = plugin.package.includes('!')
        ? plugin.package.slice(plugin.package.lastIndexOf('!') + 1)
        : path.basename(plugin.package);
      if (!existsSync(path.join(from, folder))) {
        throw new Error(`${plugin.package}: no exported ${folder} in ${from}`);
      }
      await fs.cp(path.join(from, folder), path.join(root, folder), {
        recursive: true,
        verbatimSymlinks: true,
      });
      installed.push(folder);
    }
    config = merge(config, plugin.pluginConfig ?? {});
  }
  const configFile = path.join(
    path.dirname(root),
    'app-config.dynamic-plugins.yaml',
  );
  await fs.writeFile(configFile, YAML.stringify(config));
  return { installed, rhdhOwn, config, configFile };
}
