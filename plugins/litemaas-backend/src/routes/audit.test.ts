import request from 'supertest';
import { AuditStore } from '../database/AuditStore';
import {
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '../testUtils';

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

  // The OpenAPI validator answers for what the spec describes (types, ranges, formats,
  // unknown parameters); zod for the rules it cannot (from before to).
  it.each([
    ['limit=abc', /query\/limit must be integer/],
    ['limit=0', /query\/limit must be >= 1/],
    ['limit=100000', /query\/limit must be <= 200/],
    [
      'outcome=maybe',
      /query\/outcome must be equal to one of the allowed values/,
    ],
    ['from=yesterday', /query\/from must match format "date-time"/],
    ['cursor=-1', /query\/cursor must match pattern/],
    ['unknown=1', /Unknown query parameter 'unknown'/],
    [
      'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      /Invalid audit query: from: from must not be after to/,
    ],
  ])('answers 400 with a message for %p', async (query, message) => {
    backend ??= await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    const res = await request(backend.server)
      .get(`/api/litemaas/admin/audit?${query}`)
      .set('Authorization', backend.as('user:default/alice'));
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
  });
});
