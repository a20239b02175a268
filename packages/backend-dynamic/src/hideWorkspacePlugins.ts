import Module from 'node:module';

type Resolve = (request: string, ...rest: unknown[]) => string;

/**
 * RHDH's backend has no LiteMaaS package installed next to it: the plugins are only in the
 * dynamic plugins root. This repository's install links every workspace package into
 * node_modules, where this backend, and the dynamic plugins looking for their own files
 * by package name (`resolvePackagePath('@litemaas/...', 'migrations')`), would find the
 * workspace's copy. This makes every file under `dir` unresolvable, as in RHDH, so such a
 * look-up goes to the dynamic plugins service's own fallback (the `<name>-dynamic`
 * package of the root) as it does there.
 */
export function hideWorkspacePlugins(dir: string) {
  const loader = Module as unknown as { _resolveFilename: Resolve };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function hidden(request, ...rest) {
    const resolved = resolve.call(this, request, ...rest);
    if (resolved.startsWith(dir)) {
      throw Object.assign(
        new Error(`Cannot find module '${request}': ${dir} is hidden`),
        { code: 'MODULE_NOT_FOUND' },
      );
    }
    return resolved;
  };
}
