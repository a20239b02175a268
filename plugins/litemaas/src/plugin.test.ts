import { litemaasPlugin, LiteMaaSPage, litemaasApiRef, rootRouteRef } from '.';
import alphaPlugin, { litemaasTranslationsModule } from './alpha';

describe('legacy frontend system exports', () => {
  it('is the litemaas plugin with its API and root route', () => {
    expect(litemaasPlugin.getId()).toBe('litemaas');
    expect([...litemaasPlugin.getApis()].map(f => f.api.id)).toEqual([
      litemaasApiRef.id,
    ]);
    expect(litemaasPlugin.routes.root).toBe(rootRouteRef);
    expect(typeof LiteMaaSPage).toBe('function');
  });
});

describe('new frontend system exports (/alpha)', () => {
  it('provides the page and the API', () => {
    const ids = (alphaPlugin as any).extensions.map(
      (e: { id: string }) => e.id,
    );
    expect(ids).toEqual(
      expect.arrayContaining(['api:litemaas', 'page:litemaas']),
    );
  });

  it('registers the translations through an app module', () => {
    const ids = (litemaasTranslationsModule as any).extensions.map(
      (e: { id: string }) => e.id,
    );
    expect(ids).toEqual(['translation:app/litemaas']);
  });
});
