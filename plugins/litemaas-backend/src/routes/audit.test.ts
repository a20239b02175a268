import request from 'supertest';
import { AuditStore } from '../database/AuditStore';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

describe('GET /admin/audit', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  it.each(databases.eachSupportedId())(
    'pages through filtered entries for admins only on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({ databases, databaseId });
      const store = new AuditStore(backend.knex);
      for (let i = 0; i < 5; i++) {
        await store.append({
          actorRef: i % 2 ? 'user:default/bob' : 'user:default/carol',
          action: 'key.create',
          targetType: 'key',
          targetId: `k${i}`,
          outcome: 'success',
        });
      }
      const alice = backend.as('user:default/alice');

      const first = await request(backend.server)
        .get('/api/litemaas/admin/audit?actor=user:default/carol&limit=2')
        .set('Authorization', alice);
      expect(first.status).toBe(200);
      expect(first.body.items.map((e: any) => e.targetId)).toEqual([
        'k4',
        'k2',
      ]);

      const second = await request(backend.server)
        .get(
          `/api/litemaas/admin/audit?actor=user:default/carol&limit=2&cursor=${first.body.nextCursor}`,
        )
        .set('Authorization', alice);
      expect(second.body.items.map((e: any) => e.targetId)).toEqual(['k0']);
      expect(second.body.nextCursor).toBeUndefined();

      const bob = await request(backend.server)
        .get('/api/litemaas/admin/audit')
        .set('Authorization', backend.as('user:default/bob'));
      expect(bob.status).toBe(403);
    },
  );

  it.each([
    ['limit=abc'],
    ['limit=0'],
    ['limit=100000'],
    ['outcome=maybe'],
    ['from=yesterday'],
    ['cursor=-1'],
    ['unknown=1'],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'],
  ])('answers 400 with a message for %p', async query => {
    backend ??= await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    const res = await request(backend.server)
      .get(`/api/litemaas/admin/audit?${query}`)
      .set('Authorization', backend.as('user:default/alice'));
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(/Invalid audit query/);
  });
});
