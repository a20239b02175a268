import { ComponentType, lazy } from 'react';

/**
 * `React.lazy` for a named export: `lazyNamed(() => import('./feature'), 'FeaturePage')`.
 * The screen's code (and its stylesheets) load when it is first rendered, inside the
 * page shell's `Suspense`.
 *
 * @public
 */
export function lazyNamed<
  M extends Record<K, ComponentType<any>>,
  K extends keyof M,
>(load: () => Promise<M>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
