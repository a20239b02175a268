/**
 * Cross-cutting acceptance of the REST API, through the real backend, on SQLite and
 * PostgreSQL, against the LiteLLM emulator: the golden path through the routes only, the
 * restricted-model flow, the authorization matrix, a table of malformed requests, and
 * the holes found in the nearest peer plugin.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import OpenAI from 'openai';
import request from 'supertest';
import {
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '../testUtils';

jest.setTimeout(120_000);

const ALICE = 'user:default/alice'; // admin
const BOB = 'user:default/bob'; // group:default/payments
const MALLORY = 'user:default/mallory';
const OPEN_A = 'gpt-4o-mini';
const OPEN_B = 'ibm-granite/granite-3.1-8b-instruct';
const RESTRICTED = 'meta-llama/Llama-3.3-70B-Instruct';
const enc = encodeURIComponent;

describe('LiteMaaS REST API acceptance', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start(databaseId: Parameters<typeof databases.init>[0]) {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId,
      config: { keys: { maximums: { maxBudget: 50, tpmLimit: 10000 } } },
    });
    return backend;
  }

  const call = (b: LiteMaaSTestBackend, user?: string) => {
    const agent = request(b.server);
    const auth = (r: request.Test) =>
      user ? r.set('Authorization', b.as(user)) : r;
    return {
      get: (p: string) => auth(agent.get(`/api/litemaas${p}`)),
      post: (p: string, body?: object) =>
        auth(agent.post(`/api/litemaas${p}`)).send(body ?? {}),
      patch: (p: string, body?: object) =>
        auth(agent.patch(`/api/litemaas${p}`)).send(body ?? {}),
      delete: (p: string) => auth(agent.delete(`/api/litemaas${p}`)),
    };
  };

  async function chat(b: LiteMaaSTestBackend, secret: string, model: string) {
    const client = new OpenAI({
      apiKey: secret,
      baseURL: `${b.emulator.url}/v1`,
      maxRetries: 0,
    });
    try {
      await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hello' }],
      });
      return 200;
    } catch (error) {
      // LiteLLM's answer; a network error (no status) fails the test, it is no "not 200".
      if (
        error instanceof OpenAI.APIError &&
        typeof error.status === 'number'
      ) {
        return error.status;
      }
      throw error;
    }
  }

  async function syncModels(b: LiteMaaSTestBackend) {
    const sync = await call(b, ALICE).post('/admin/models/sync');
    expect(sync.status).toBe(200);
  }

  it.each(databases.eachSupportedId())(
    'golden path through the routes only, on %p',
    async databaseId => {
      const b = await start(databaseId);
      await syncModels(b);
      const bob = call(b, BOB);

      const models = await bob.get('/models?search=granite');
      expect(models.status).toBe(200);
      expect(models.body.items.map((m: any) => m.id)).toContain(OPEN_B);

      for (const modelId of [OPEN_A, OPEN_B]) {
        const sub = await bob.post('/subscriptions', { modelId });
        expect(sub.status).toBe(201);
        expect(sub.body.status).toBe('active');
      }

      const created = await bob.post('/keys', {
        name: 'golden',
        models: [OPEN_A, OPEN_B],
      });
      expect(created.status).toBe(201);
      const secret: string = created.body.secret;
      expect(await chat(b, secret, OPEN_A)).toBe(200);
      expect(await chat(b, secret, OPEN_B)).toBe(200);

      const rotated = await bob.post(`/keys/${created.body.id}/rotate`, {});
      expect(rotated.status).toBe(201);
      expect(rotated.body.secret).not.toBe(secret);
      expect(await chat(b, secret, OPEN_A)).toBe(401);
      expect(await chat(b, rotated.body.secret, OPEN_A)).toBe(200);

      const revoked = await bob.delete(`/keys/${rotated.body.id}`);
      expect(revoked.status).toBe(200);
      expect(await chat(b, rotated.body.secret, OPEN_A)).toBe(401);

      const listed = await bob.get('/keys');
      expect(JSON.stringify(listed.body)).not.toContain(secret);
    },
  );

  it.each(databases.eachSupportedId())(
    'restricted model: pending, approved, usable; denied, removed, key blocked, on %p',
    async databaseId => {
      const b = await start(databaseId);
      await syncModels(b);
      const alice = call(b, ALICE);
      const bob = call(b, BOB);
      expect(
        (
          await alice.patch(`/admin/models/${enc(RESTRICTED)}`, {
            restricted: true,
          })
        ).status,
      ).toBe(200);

      const requested = await bob.post('/subscriptions', {
        modelId: RESTRICTED,
        justification: 'Invoice extraction needs the 70B model',
      });
      expect(requested.status).toBe(201);
      expect(requested.body.status).toBe('pending');
      expect(
        (await bob.post('/keys', { name: 'k', models: [RESTRICTED] })).status,
      ).toBe(403);

      const pending = await alice.get('/admin/subscriptions?status=pending');
      expect(pending.body.items.map((s: any) => s.id)).toContain(
        requested.body.id,
      );
      const approved = await alice.post(
        `/admin/subscriptions/${requested.body.id}/approve`,
        {},
      );
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('active');

      const key = await bob.post('/keys', { name: 'k', models: [RESTRICTED] });
      expect(key.status).toBe(201);
      expect(await chat(b, key.body.secret, RESTRICTED)).toBe(200);

      const denied = await alice.post(
        `/admin/subscriptions/${requested.body.id}/deny`,
        { reason: 'Budget review' },
      );
      expect(denied.status).toBe(200);
      expect(denied.body.status).toBe('denied');
      const after = await bob.get(`/keys/${key.body.id}`);
      expect(after.body.status).toBe('blocked');
      // The key had only this model: it cannot call any model, and LiteLLM never got
      // an empty model list (which would mean "all models").
      for (const model of [RESTRICTED, OPEN_A, 'gpt-4o']) {
        expect(await chat(b, key.body.secret, model)).toBe(401);
      }
      for (const litellmKey of b.emulator.state.keys.values()) {
        expect(litellmKey.models.length).toBeGreaterThan(0);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    "authorization matrix: 401 without a token, service tokens refused (but for reading models), 403 for non-admins, 404 for others' keys, on %p",
    async databaseId => {
      const b = await start(databaseId);
      await syncModels(b);
      const bob = call(b, BOB);
      await bob.post('/subscriptions', { modelId: OPEN_A });
      const sub = (await bob.get('/subscriptions')).body.items[0];
      const key = (await bob.post('/keys', { name: 'mine', models: [OPEN_A] }))
        .body;

      type Route = [string, string, object?];
      const userRoutes: Route[] = [
        ['get', '/models'],
        ['get', `/models/${enc(OPEN_A)}`],
        ['get', '/subscriptions'],
        ['post', '/subscriptions', { modelId: OPEN_B }],
        ['delete', `/subscriptions/${sub.id}`],
        ['get', '/keys'],
        ['post', '/keys', { name: 'x', models: [OPEN_A] }],
        ['get', `/keys/${key.id}`],
        ['patch', `/keys/${key.id}`, { name: 'y' }],
        ['post', `/keys/${key.id}/rotate`, {}],
        ['delete', `/keys/${key.id}`],
      ];
      const adminRoutes: Route[] = [
        ['post', '/admin/models/sync'],
        ['patch', `/admin/models/${enc(OPEN_A)}`, { restricted: true }],
        ['get', '/admin/subscriptions?status=pending'],
        ['post', `/admin/subscriptions/${sub.id}/approve`, {}],
        ['post', `/admin/subscriptions/${sub.id}/deny`, { reason: 'no' }],
        ['post', '/admin/keys/lookup', { displayName: key.displayName }],
        ['post', `/admin/keys/${key.id}/block`, {}],
        ['post', `/admin/keys/${key.id}/unblock`, {}],
        ['get', '/admin/audit'],
      ];
      const send = (
        [method, p, body]: Route,
        authorization?: string,
      ): request.Test => {
        const r = (request(b.server) as any)[method](`/api/litemaas${p}`);
        if (authorization) r.set('Authorization', authorization);
        return body ? r.send(body) : r;
      };

      const seen: string[] = [];
      for (const route of [...userRoutes, ...adminRoutes]) {
        const name = `${route[0].toUpperCase()} ${route[1]}`;
        expect([
          name,
          (await send(route, mockCredentials.none.header())).status,
        ]).toEqual([name, 401]);
        const asService = (await send(route, mockCredentials.service.header()))
          .status;
        // Only the model list is open to other plugins (the catalog module reads it).
        const publicToServices =
          route[0] === 'get' && route[1].startsWith('/models');
        let outcome: string | number = asService;
        if (asService === 200) outcome = 'open';
        if (asService === 401 || asService === 403) outcome = 'refused';
        expect([name, outcome]).toEqual([
          name,
          publicToServices ? 'open' : 'refused',
        ]);
        seen.push(name);
      }
      for (const route of adminRoutes) {
        const name = `${route[0].toUpperCase()} ${route[1]}`;
        expect([name, (await send(route, b.as(MALLORY))).status]).toEqual([
          name,
          403,
        ]);
      }
      for (const route of userRoutes.filter(
        ([, p]) => p.startsWith('/keys/') || p.startsWith('/subscriptions/'),
      )) {
        const name = `${route[0].toUpperCase()} ${route[1]}`;
        expect([name, (await send(route, b.as(MALLORY))).status]).toEqual([
          name,
          404,
        ]);
      }
      expect(seen).toHaveLength(userRoutes.length + adminRoutes.length);
      // Nothing above changed bob's key.
      expect((await bob.get(`/keys/${key.id}`)).body).toMatchObject({
        name: 'mine',
        status: 'active',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'answers every malformed request with a 4xx and a message, and leaves nothing behind, on %p',
    async databaseId => {
      const b = await start(databaseId);
      await syncModels(b);
      const bob = call(b, BOB);
      await bob.post('/subscriptions', { modelId: OPEN_A });
      const sub = (await bob.get('/subscriptions')).body.items[0];
      const key = (await bob.post('/keys', { name: 'base', models: [OPEN_A] }))
        .body;
      const counts = async () => ({
        keys: Number((await b.knex('litemaas_keys').count({ n: '*' }))[0].n),
        subscriptions: Number(
          (await b.knex('litemaas_subscriptions').count({ n: '*' }))[0].n,
        ),
        litellmKeys: b.emulator.state.keys.size,
      });
      const before = await counts();
      const long = 'x'.repeat(5000);
      const cases: Array<[string, () => request.Test]> = [
        [
          'models: unknown query parameter',
          () => bob.get('/models?user_id=user:default/alice'),
        ],
        [
          'models: restricted not a boolean',
          () => bob.get('/models?restricted=maybe'),
        ],
        ['models: search too long', () => bob.get(`/models?search=${long}`)],
        ['models: bad status', () => bob.get('/models?status=gone')],
        ['subscription: empty body', () => bob.post('/subscriptions', {})],
        [
          'subscription: modelId not a string',
          () => bob.post('/subscriptions', { modelId: 42 }),
        ],
        [
          'subscription: unknown field',
          () => bob.post('/subscriptions', { modelId: OPEN_B, user_id: ALICE }),
        ],
        [
          'subscription: justification too long',
          () =>
            bob.post('/subscriptions', {
              modelId: OPEN_B,
              justification: long,
            }),
        ],
        [
          'subscription: subject not an entity ref',
          () =>
            bob.post('/subscriptions', { modelId: OPEN_B, subject: 'alice' }),
        ],
        ['subscription: bad id', () => bob.delete('/subscriptions/not-a-uuid')],
        ['key: empty body', () => bob.post('/keys', {})],
        [
          'key: empty name',
          () => bob.post('/keys', { name: '', models: [OPEN_A] }),
        ],
        [
          'key: name too long',
          () => bob.post('/keys', { name: long, models: [OPEN_A] }),
        ],
        ['key: no models', () => bob.post('/keys', { name: 'k', models: [] })],
        [
          'key: models not an array',
          () => bob.post('/keys', { name: 'k', models: OPEN_A }),
        ],
        [
          'key: duplicate models',
          () => bob.post('/keys', { name: 'k', models: [OPEN_A, OPEN_A] }),
        ],
        [
          'key: negative budget',
          () =>
            bob.post('/keys', { name: 'k', models: [OPEN_A], maxBudget: -1 }),
        ],
        [
          'key: budget above the maximum',
          () =>
            bob.post('/keys', { name: 'k', models: [OPEN_A], maxBudget: 51 }),
        ],
        [
          'key: budget as a string',
          () =>
            bob.post('/keys', { name: 'k', models: [OPEN_A], maxBudget: '5' }),
        ],
        [
          'key: bad budget duration',
          () =>
            bob.post('/keys', {
              name: 'k',
              models: [OPEN_A],
              budgetDuration: 'monthly-ish',
            }),
        ],
        [
          'key: fractional TPM',
          () =>
            bob.post('/keys', { name: 'k', models: [OPEN_A], tpmLimit: 1.5 }),
        ],
        [
          'key: TPM above the maximum',
          () =>
            bob.post('/keys', { name: 'k', models: [OPEN_A], tpmLimit: 10001 }),
        ],
        [
          'key: expiry in the past',
          () =>
            bob.post('/keys', {
              name: 'k',
              models: [OPEN_A],
              expiresAt: '2001-01-01T00:00:00Z',
            }),
        ],
        [
          'key: expiry not a date',
          () =>
            bob.post('/keys', {
              name: 'k',
              models: [OPEN_A],
              expiresAt: 'tomorrow',
            }),
        ],
        [
          'key: metadata not strings',
          () =>
            bob.post('/keys', {
              name: 'k',
              models: [OPEN_A],
              metadata: { a: { b: 1 } },
            }),
        ],
        [
          'key: team_id smuggled in',
          () =>
            bob.post('/keys', {
              name: 'k',
              models: [OPEN_A],
              team_id: 'admins',
            }),
        ],
        [
          'key: user_id smuggled in',
          () =>
            bob.post('/keys', { name: 'k', models: [OPEN_A], user_id: ALICE }),
        ],
        [
          'key: name that is a secret',
          () =>
            bob.post('/keys', {
              name: `sk-${'a'.repeat(30)}`,
              models: [OPEN_A],
            }),
        ],
        [
          'key: unknown model',
          () => bob.post('/keys', { name: 'k', models: ['no-such-model'] }),
        ],
        ['key: bad id', () => bob.get('/keys/1234')],
        [
          'key patch: empty models',
          () => bob.patch(`/keys/${key.id}`, { models: [] }),
        ],
        [
          'key patch: unknown field',
          () => bob.patch(`/keys/${key.id}`, { status: 'active' }),
        ],
        [
          'key rotate: grace too long',
          () =>
            bob.post(`/keys/${key.id}/rotate`, { gracePeriodSeconds: 10 ** 9 }),
        ],
        [
          'key rotate: grace negative',
          () => bob.post(`/keys/${key.id}/rotate`, { gracePeriodSeconds: -5 }),
        ],
        ['keys: bad status filter', () => bob.get('/keys?status=hacked')],
        [
          'deny: no reason',
          () => call(b, ALICE).post(`/admin/subscriptions/${sub.id}/deny`, {}),
        ],
        [
          'approve: expiry in the past',
          () =>
            call(b, ALICE).post(`/admin/subscriptions/${sub.id}/approve`, {
              expiresAt: '2001-01-01T00:00:00Z',
            }),
        ],
        [
          'lookup: neither secret nor display name',
          () => call(b, ALICE).post('/admin/keys/lookup', {}),
        ],
        [
          'audit: limit not a number',
          () => call(b, ALICE).get('/admin/audit?limit=lots'),
        ],
        [
          'malformed JSON body',
          () =>
            request(b.server)
              .post('/api/litemaas/keys')
              .set('Authorization', b.as(BOB))
              .set('Content-Type', 'application/json')
              .send('{"name": '),
        ],
      ];
      expect(cases.length).toBeGreaterThanOrEqual(30);
      const results: Array<[string, number, string]> = [];
      for (const [name, send] of cases) {
        const res = await send();
        results.push([name, res.status, res.body?.error?.message ?? '']);
      }
      for (const [name, status, message] of results) {
        expect([name, status >= 400 && status < 500]).toEqual([name, true]);
        expect([name, message.length > 0]).toEqual([name, true]);
      }
      expect(await counts()).toEqual(before);
    },
  );

  it("has none of the peer plugin's holes", async () => {
    const b = await start('SQLITE_3');
    await syncModels(b);
    const bob = call(b, BOB);
    const mallory = call(b, MALLORY);
    await bob.post('/subscriptions', { modelId: OPEN_A });
    const key = (await bob.post('/keys', { name: 'bob', models: [OPEN_A] }))
      .body;

    // 1. No query or body parameter lets a caller act as someone else.
    expect((await mallory.get(`/keys?user_id=${enc(BOB)}`)).status).toBe(400);
    const smuggled = await mallory.get(`/keys/${key.id}?user_id=${enc(BOB)}`);
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.error.message).toBe(
      "Unknown query parameter 'user_id'",
    );
    expect((await mallory.get(`/keys/${key.id}`)).status).toBe(404);
    expect(
      (await mallory.post('/keys', { name: 'x', models: [OPEN_A], owner: BOB }))
        .status,
    ).toBe(403);
    expect(
      (await mallory.post('/subscriptions', { modelId: OPEN_A, subject: BOB }))
        .status,
    ).toBe(403);
    // A service or external-access token cannot act on a user's keys, with or without a
    // user named in the request.
    const service = mockCredentials.service.header();
    // A user named in the query is not even a parameter of the spec.
    expect(
      (
        await request(b.server)
          .get(`/api/litemaas/keys?user_id=${enc(BOB)}`)
          .set('Authorization', service)
      ).status,
    ).toBe(400);
    for (const r of [
      request(b.server).get('/api/litemaas/keys'),
      request(b.server).delete(`/api/litemaas/keys/${key.id}`),
      request(b.server)
        .post('/api/litemaas/keys')
        .send({ name: 'x', models: [OPEN_A], owner: BOB }),
    ]) {
      expect([401, 403]).toContain(
        (await r.set('Authorization', service)).status,
      );
    }
    // 2. Limits and maximums hold when the API is called directly.
    expect(
      (
        await bob.post('/keys', {
          name: 'big',
          models: [OPEN_A],
          maxBudget: 1000,
        })
      ).status,
    ).toBe(400);
    expect(
      (await bob.patch(`/keys/${key.id}`, { maxBudget: 1000 })).status,
    ).toBe(400);
    // 3. A user cannot undo an admin's block or reset spend.
    expect(
      (
        await call(b, ALICE).post(`/admin/keys/${key.id}/block`, {
          reason: 'leak',
        })
      ).status,
    ).toBe(200);
    expect((await bob.post(`/admin/keys/${key.id}/unblock`, {})).status).toBe(
      403,
    );
    expect(
      (await bob.patch(`/keys/${key.id}`, { name: 'unblock me' })).status,
    ).toBe(403);
    const rotate = await bob.post(`/keys/${key.id}/rotate`, {});
    expect(rotate.status).toBe(409);
    expect(rotate.body.error).toEqual(
      expect.objectContaining({
        name: 'ConflictError',
        message: `Only active keys can be rotated; key '${key.id}' is blocked`,
      }),
    );
    expect((await bob.post(`/keys/${key.id}/reset_spend`, {})).status).toBe(
      404,
    );
    expect((await bob.get(`/keys/${key.id}`)).body.status).toBe('blocked');
    expect(await chat(b, key.secret ?? '', OPEN_A)).toBe(401);
    // 4. Another user's data is 404, not readable.
    expect((await mallory.get(`/keys/${key.id}`)).status).toBe(404);
  });
});
