import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { litemaasPlugin } from './plugin';
import { createTestDatabases } from './__testUtils__/databases';

jest.setTimeout(60_000);

describe('litemaas backend plugin', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'runs its migrations and answers /health unauthenticated on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [litemaasPlugin, mockServices.database.factory({ knex })],
      });

      // No Authorization header at all: /health is the one open route.
      const res = await request(server).get('/api/litemaas/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', database: 'ok' });

      const applied = await knex('knex_migrations').select('name');
      expect(applied.map(r => r.name)).toContain('20261126000000_init.js');
      expect(await knex.schema.hasTable('litemaas_meta')).toBe(true);
    },
  );

  it('keeps every other route behind authentication', async () => {
    const { server } = await startTestBackend({ features: [litemaasPlugin] });
    const res = await request(server)
      .get('/api/litemaas/anything')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('answers 503 when its database stops answering', async () => {
    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestBackend({
      features: [litemaasPlugin, mockServices.database.factory({ knex })],
    });
    await knex.destroy();
    const res = await request(server).get('/api/litemaas/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'degraded', database: 'unavailable' });
  });
});
