export { LiteMaaSPageShell } from './LiteMaaSPageShell';
export type { LiteMaaSSection, LiteMaaSExtraRoute } from './LiteMaaSPageShell';
export { useLiteMaaSPath, LiteMaaSBasePathProvider } from './basePath';
export { lazyNamed } from './lazyNamed';
