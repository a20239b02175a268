import { mockCredentials } from '@backstage/backend-test-utils';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  ALICE,
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

  it('starts while LiteLLM is down, serves what it has and answers 503 for LiteLLM', async () => {
    // Nothing listens at LiteLLM's address from the very start: a port that was free a
    // moment ago and is closed again.
    const probe = createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise(resolve => probe.close(resolve));
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      config: {
        litellm: {
          baseUrl: `http://127.0.0.1:${port}`,
          masterKey: 'sk-litellm-is-down',
          timeoutMs: 2000,
        },
      },
    });

    const health = await request(backend.server).get('/api/litemaas/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: 'ok' });
    const models = await request(backend.server)
      .get('/api/litemaas/models')
      .set('Authorization', backend.as(ALICE));
    expect(models.status).toBe(200);
    expect(models.body.items).toEqual([]);
    // Whatever needs LiteLLM says so clearly.
    const sync = await request(backend.server)
      .post('/api/litemaas/admin/models/sync')
      .set('Authorization', backend.as(ALICE));
    expect(sync.status).toBe(503);
    expect(sync.body.error).toMatchObject({
      name: 'ServiceUnavailableError',
    });
    expect(sync.body.error.message).toMatch(
      /^The LiteLLM proxy is unavailable, /,
    );
  });
});
