import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from './testUtils';

jest.setTimeout(60_000);

describe('litemaas backend plugin', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  it.each(databases.eachSupportedId())(
    'runs its migrations and answers /health unauthenticated on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({ databases, databaseId });

      // No Authorization header at all: /health is the one open route.
      const res = await request(backend.server).get('/api/litemaas/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', database: 'ok' });

      const applied = await backend.knex('knex_migrations').select('name');
      expect(applied.map(r => r.name)).toContain('20261126000000_init.js');
    },
  );

  it('keeps every other route behind authentication', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    const res = await request(backend.server)
      .get('/api/litemaas/anything')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('answers 503 when its database stops answering', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    await backend.knex.destroy();
    const res = await request(backend.server).get('/api/litemaas/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'degraded', database: 'unavailable' });
  });

  it('starts while LiteLLM is down', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    await backend.emulator.close();
    const res = await request(backend.server).get('/api/litemaas/health');
    expect(res.status).toBe(200);
  });
});
