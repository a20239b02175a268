import { useLiteMaaSPath } from '../../components/PageShell/basePath';

/** The path of a model's page below the LiteMaaS page (ids contain `/` and `:`). */
export function modelSubPath(id: string): string {
  return `models/${encodeURIComponent(id)}`;
}

/** Absolute link to a model's page, from anywhere. */
export function useModelLink(): (id: string) => string {
  const path = useLiteMaaSPath();
  return id => path(modelSubPath(id));
}
