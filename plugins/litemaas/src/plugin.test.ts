import {
  EntityLiteMaaSLlmAccessCard,
  EntityLiteMaaSModelCard,
  EntityLiteMaaSTeamCard,
  isLiteMaaSConsumerEntity,
  isLiteMaaSModelEntity,
  isLiteMaaSTeamEntity,
  litemaasPlugin,
  LiteMaaSPage,
  litemaasApiRef,
  rootRouteRef,
} from '.';
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

  it('provides the entity cards with the filters that place them', () => {
    for (const card of [
      EntityLiteMaaSModelCard,
      EntityLiteMaaSLlmAccessCard,
      EntityLiteMaaSTeamCard,
    ]) {
      expect(typeof card).toBe('function');
    }
    const group = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'payments' },
    };
    expect(
      [
        isLiteMaaSModelEntity,
        isLiteMaaSConsumerEntity,
        isLiteMaaSTeamEntity,
      ].map(filter => filter(group)),
    ).toEqual([false, false, true]);
  });
});

describe('new frontend system exports (/alpha)', () => {
  it('provides the page, the API and the entity cards', () => {
    const ids = (alphaPlugin as any).extensions.map(
      (e: { id: string }) => e.id,
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'api:litemaas',
        'page:litemaas',
        'entity-card:litemaas/model',
        'entity-card:litemaas/llm-access',
        'entity-card:litemaas/team',
      ]),
    );
  });

  it('registers the translations through an app module', () => {
    const ids = (litemaasTranslationsModule as any).extensions.map(
      (e: { id: string }) => e.id,
    );
    expect(ids).toEqual(['translation:app/litemaas']);
  });
});
