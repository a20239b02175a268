import { createContext, useContext } from 'react';

const BasePathContext = createContext<string | undefined>(undefined);

/** Provided by the page shell: where the LiteMaaS page is mounted (e.g. `/litemaas`). */
export const LiteMaaSBasePathProvider = BasePathContext.Provider;

/**
 * Absolute paths inside the LiteMaaS page, from anywhere below the shell:
 * `useLiteMaaSPath()('keys')` → `/litemaas/keys`. Outside the page (entity cards) it
 * falls back to `/litemaas`, where the portal mounts it.
 *
 * @public
 */
export function useLiteMaaSPath(): (sub?: string) => string {
  const base = useContext(BasePathContext) ?? '/litemaas';
  return (sub = '') =>
    sub ? `${base}/${sub.replace(/^\/+/, '')}` : base || '/';
}
