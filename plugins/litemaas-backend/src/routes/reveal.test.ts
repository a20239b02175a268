import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  chatStatus,
  createTestDatabases,
  LiteMaaSTestBackend,
  managedLiteLLMKeys,
  startLiteMaaSTestBackend,
  testCatalog,
} from '../testUtils';
import { subscribe } from './__testUtils__/keyTestUtils';

jest.setTimeout(60_000);

const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const MALLORY = 'user:default/mallory';
const PAYMENTS = 'group:default/payments';
const MODEL = 'gpt-4o';
const SECRET_PATTERN = /sk-[A-Za-z0-9_-]{12,}/;

describe('key delivery by one-time reveal', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start(
    databaseId: Parameters<typeof databases.init>[0],
    reveal: Record<string, unknown> | null = {
      encryptionKey: 'test-reveal-passphrase-0123456789',
    },
  ) {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId,
      config: reveal ? { reveal } : {},
      features: [testCatalog()],
    });
    const sync = await request(backend.server)
      .post('/api/litemaas/admin/models/sync')
      .set('Authorization', backend.as('user:default/alice'));
    expect(sync.status).toBe(200);
    // Payments owns keys as a LiteMaaS team.
    const team = await request(backend.server)
      .post('/api/litemaas/admin/teams')
      .set('Authorization', backend.as('user:default/alice'))
      .send({ group: PAYMENTS });
    expect(team.status).toBe(201);
    await subscribe(backend.knex, PAYMENTS, [MODEL]);
    await subscribe(backend.knex, BOB, [MODEL]);
    return backend;
  }

  const createKey = (b: LiteMaaSTestBackend, body: object, as = BOB) =>
    request(b.server)
      .post('/api/litemaas/keys')
      .set('Authorization', b.as(as))
      .send({ name: 'svc', models: [MODEL], deliver: 'reveal', ...body });

  const reveal = (b: LiteMaaSTestBackend, token: string, as: string) =>
    request(b.server)
      .get(`/api/litemaas/reveal/${token}`)
      .set('Authorization', b.as(as));

  it.each(databases.eachSupportedId())(
    'answers a group key with a reveal and no secret; a member reads it once, on %p',
    async databaseId => {
      const b = await start(databaseId);
      const created = await createKey(b, { owner: PAYMENTS });
      expect(created.status).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      expect(created.body).toMatchObject({
        ownerRef: PAYMENTS,
        createdBy: BOB,
        status: 'active',
        reveal: {
          token: expect.any(String),
          url: expect.stringMatching(/\/api\/litemaas\/reveal\/[\w-]+$/),
          expiresAt: expect.any(String),
        },
      });
      expect(created.body).not.toHaveProperty('secret');
      expect(created.body).not.toHaveProperty('snippets');
      expect(JSON.stringify(created.body)).not.toMatch(SECRET_PATTERN);
      const ttl = Date.parse(created.body.reveal.expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(850_000);
      expect(ttl).toBeLessThanOrEqual(900_000);

      const { token } = created.body.reveal;
      expect((await reveal(b, token, MALLORY)).status).toBe(404);
      const first = await reveal(b, token, CAROL);
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.body.keyId).toBe(created.body.id);
      expect(await chatStatus(b, first.body.secret, MODEL)).toBe(200);
      const second = await reveal(b, token, BOB);
      expect(second.status).toBe(404);
      expect(second.headers['cache-control']).toBe('no-store');
      expect(await b.knex('litemaas_reveals').select()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'a user-owned key is revealed only to that user; expired reveals are gone, on %p',
    async databaseId => {
      const b = await start(databaseId);
      const mine = await createKey(b, {});
      expect(mine.status).toBe(201);
      expect(mine.body.ownerRef).toBe(BOB);
      // Carol shares bob's group, but the key is bob's alone.
      expect((await reveal(b, mine.body.reveal.token, CAROL)).status).toBe(404);
      expect((await reveal(b, mine.body.reveal.token, BOB)).status).toBe(200);

      const late = await createKey(b, { name: 'late' });
      await b
        .knex('litemaas_reveals')
        .update({ expires_at: new Date(Date.now() - 1000) });
      expect((await reveal(b, late.body.reveal.token, BOB)).status).toBe(404);
      expect(await b.knex('litemaas_reveals').select()).toEqual([]);

      // Not for unauthenticated callers or services.
      expect(
        (
          await request(b.server)
            .get(`/api/litemaas/reveal/x`)
            .set('Authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
      const service = await request(b.server)
        .get('/api/litemaas/reveal/x')
        .set('Authorization', b.service());
      expect(service.status).toBe(403);
    },
  );

  it.each(databases.eachSupportedId())(
    'without an encryption key, reveal delivery answers 503 and mints nothing, on %p',
    async databaseId => {
      const b = await start(databaseId, null);
      const res = await createKey(b, { owner: PAYMENTS });
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(/litemaas\.reveal\.encryptionKey/);
      expect(managedLiteLLMKeys(b)).toHaveLength(0);
      expect((await reveal(b, 'x', BOB)).status).toBe(503);
      // Ordinary delivery still works.
      const plain = await request(b.server)
        .post('/api/litemaas/keys')
        .set('Authorization', b.as(BOB))
        .send({ name: 'plain', models: [MODEL] });
      expect(plain.status).toBe(201);
      expect(plain.body.secret).toMatch(/^sk-/);
    },
  );
});
