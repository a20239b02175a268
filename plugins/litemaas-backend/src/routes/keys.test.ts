import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { mockCredentials } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import request from 'supertest';
import {
  capturingNotificationService,
  capturingRootLogger,
  chatStatus,
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
  testCatalog,
} from '../testUtils';
import { dumpDatabase, subscribe } from './__testUtils__/keyTestUtils';

jest.setTimeout(90_000);

const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const MALLORY = 'user:default/mallory';
const ALICE = 'user:default/alice';
const PAYMENTS = 'group:default/payments';
const MINI = 'gpt-4o-mini';
const LLAMA = 'llama3.2:3b';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('API keys', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  const api = () => request(backend!.server);
  const as = (user: string) => backend!.as(user);

  async function createKey(user: string, body: Record<string, unknown>) {
    return api()
      .post('/api/litemaas/keys')
      .set('Authorization', as(user))
      .send(body);
  }

  it.each(databases.eachSupportedId())(
    'golden path: create, call, rotate, rotate with grace, revoke, and no secret is kept anywhere, on %p',
    async databaseId => {
      const logs: string[] = [];
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        config: {
          publicBaseUrl: 'https://llm.example.test/',
          keys: {
            defaults: { maxBudget: 10, budgetDuration: '30d' },
            maximums: { maxBudget: 100, keysPerOwner: 5 },
          },
        },
        features: [capturingRootLogger(logs)],
      });
      await subscribe(backend.knex, BOB, [MINI, LLAMA]);
      const secrets: string[] = [];

      // Create a two-model key.
      const created = await createKey(BOB, {
        name: 'Checkout service',
        models: [MINI, LLAMA],
      });
      expect(created.status).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const first = created.body;
      secrets.push(first.secret);
      expect(first).toMatchObject({
        ownerRef: BOB,
        createdBy: BOB,
        status: 'active',
        models: [MINI, LLAMA],
        maxBudget: 10,
        budgetDuration: '30d',
        displayName: `sk-...${first.secret.slice(-4)}`,
        litellmKeyHash: sha256(first.secret),
      });
      expect(first.snippets.env).toContain(first.secret);
      expect(first.snippets.curl).toContain(
        'https://llm.example.test/v1/chat/completions',
      );
      expect(first.snippets.python).toContain(
        'base_url="https://llm.example.test/v1"',
      );
      expect(first.snippets.javascript).toContain(
        'baseURL: "https://llm.example.test/v1"',
      );
      for (const snippet of [
        first.snippets.curl,
        first.snippets.python,
        first.snippets.javascript,
      ]) {
        expect(snippet).not.toContain(first.secret);
      }
      const litellmKey = backend.emulator.state.keys.get(sha256(first.secret))!;
      expect(litellmKey).toMatchObject({
        key_alias: first.litellmAlias,
        user_id: BOB,
        max_budget: 10,
        metadata: {
          litemaas_key_id: first.id,
          litemaas_owner: BOB,
          managed_by: 'litemaas-backstage',
        },
      });
      expect([...litellmKey.models].sort()).toEqual([MINI, LLAMA]);

      // The key works through the OpenAI SDK, for its models only.
      expect(await chatStatus(backend, first.secret, MINI)).toBe(200);
      expect(await chatStatus(backend, first.secret, LLAMA)).toBe(200);
      expect(await chatStatus(backend, first.secret, 'gpt-4o')).toBe(403);

      // Listed and read without the secret; live usage from LiteLLM.
      const list = await api()
        .get('/api/litemaas/keys')
        .set('Authorization', as(BOB));
      expect(list.status).toBe(200);
      expect(list.body.items.map((k: any) => k.id)).toEqual([first.id]);
      expect(JSON.stringify(list.body)).not.toContain(first.secret);
      const one = await api()
        .get(`/api/litemaas/keys/${first.id}`)
        .set('Authorization', as(BOB));
      expect(one.status).toBe(200);
      expect(one.body.secret).toBeUndefined();
      expect(one.body.usage).toMatchObject({ available: true, maxBudget: 10 });
      expect(one.body.usage.spend).toBeGreaterThan(0);

      // Rotate at once: the old secret dies, the new one works.
      const rotated = await api()
        .post(`/api/litemaas/keys/${first.id}/rotate`)
        .set('Authorization', as(BOB))
        .send({});
      expect(rotated.status).toBe(201);
      const second = rotated.body;
      secrets.push(second.secret);
      expect(second.secret).not.toBe(first.secret);
      expect(second).toMatchObject({
        rotatedFromKeyId: first.id,
        models: [MINI, LLAMA],
        maxBudget: 10,
        previousKey: { id: first.id, status: 'revoked' },
      });
      expect(second.litellmAlias).not.toBe(first.litellmAlias);
      expect(await chatStatus(backend, first.secret, MINI)).toBe(401);
      expect(await chatStatus(backend, second.secret, MINI)).toBe(200);

      // Rotate with a grace period: the old secret works until the grace job runs.
      const graced = await api()
        .post(`/api/litemaas/keys/${second.id}/rotate`)
        .set('Authorization', as(BOB))
        .send({ gracePeriodSeconds: 2 });
      expect(graced.status).toBe(201);
      const third = graced.body;
      secrets.push(third.secret);
      expect(third.previousKey.status).toBe('active');
      expect(third.previousKey.graceExpiresAt).toEqual(expect.any(String));
      expect(await chatStatus(backend, second.secret, MINI)).toBe(200);
      expect(await chatStatus(backend, third.secret, MINI)).toBe(200);
      // LiteLLM itself also stops the old key at the end of the grace period.
      expect(
        backend.emulator.state.keys.get(sha256(second.secret))?.expires,
      ).toEqual(expect.any(String));
      const early = await api()
        .post('/api/litemaas/admin/keys/expire-grace')
        .set('Authorization', as(ALICE))
        .send({});
      expect(early.body.revokedKeyIds).toEqual([]);
      backend.advanceClock(2_000);
      const job = await api()
        .post('/api/litemaas/admin/keys/expire-grace')
        .set('Authorization', as(ALICE))
        .send({});
      expect(job.status).toBe(200);
      expect(job.body.revokedKeyIds).toEqual([second.id]);
      expect(backend.emulator.state.keys.has(sha256(second.secret))).toBe(
        false,
      );
      expect(await chatStatus(backend, second.secret, MINI)).toBe(401);
      expect(await chatStatus(backend, third.secret, MINI)).toBe(200);
      const secondRow = await api()
        .get(`/api/litemaas/keys/${second.id}`)
        .set('Authorization', as(BOB));
      expect(secondRow.body.status).toBe('revoked');

      // Revoke.
      const revoked = await api()
        .delete(`/api/litemaas/keys/${third.id}`)
        .set('Authorization', as(BOB));
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('revoked');
      expect(await chatStatus(backend, third.secret, MINI)).toBe(401);

      // Audit trail of every mutation.
      const actions = (
        await backend.knex('litemaas_audit').select('action', 'outcome')
      ).map(r => `${r.action}:${r.outcome}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'key.create:success',
          'key.rotate:success',
          'key.revoke:success',
        ]),
      );

      // No secret anywhere: every row of every table, every log line, every audit row.
      const dump = await dumpDatabase(backend.knex);
      expect(dump.tables.litemaas_keys).toBe(3);
      expect(dump.tables.litemaas_audit).toBeGreaterThanOrEqual(5);
      expect(dump.text).toContain(sha256(first.secret)); // the scan sees the keys
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.join('\n')).toContain(first.id); // the logs talk about the keys
      for (const secret of secrets) {
        expect(dump.text).not.toContain(secret);
        expect(logs.join('\n')).not.toContain(secret);
        expect(dump.text).not.toContain(secret.slice(3)); // not even without sk-
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'ownership: group members see team keys only, others get 404, services and anonymous callers nothing, on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        features: [testCatalog()],
      });
      await subscribe(backend.knex, BOB, [MINI]);
      await subscribe(backend.knex, PAYMENTS, [MINI]);
      // A group owns keys once an admin made it a LiteMaaS team.
      expect(
        (
          await api()
            .post('/api/litemaas/admin/teams')
            .set('Authorization', as(ALICE))
            .send({ group: PAYMENTS })
        ).status,
      ).toBe(201);
      const personal = (await createKey(BOB, { name: 'mine', models: [MINI] }))
        .body;
      const team = await createKey(BOB, {
        name: 'team',
        models: [MINI],
        owner: PAYMENTS,
      });
      expect(team.status).toBe(201);
      expect(team.body.ownerRef).toBe(PAYMENTS);
      // Team keys are not tied to one LiteLLM user; they belong to the LiteLLM team.
      expect(
        backend.emulator.state.keys.get(team.body.litellmKeyHash)?.user_id,
      ).toBeNull();
      expect(
        backend.emulator.state.keys.get(team.body.litellmKeyHash)?.team_id,
      ).toBe(PAYMENTS);

      const carolList = await api()
        .get('/api/litemaas/keys')
        .set('Authorization', as(CAROL));
      expect(carolList.body.items.map((k: any) => k.id)).toEqual([
        team.body.id,
      ]);
      expect(
        (
          await api()
            .get(`/api/litemaas/keys/${team.body.id}`)
            .set('Authorization', as(CAROL))
        ).status,
      ).toBe(200);
      for (const [method, path] of [
        ['get', `/keys/${personal.id}`],
        ['patch', `/keys/${personal.id}`],
        ['delete', `/keys/${personal.id}`],
        ['post', `/keys/${personal.id}/rotate`],
      ] as const) {
        const res = await (api() as any)
          [method](`/api/litemaas${path}`)
          .set('Authorization', as(CAROL))
          .send(method === 'patch' ? { name: 'x' } : {});
        expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`);
      }

      // Mallory: nothing to see, nothing to touch, cannot mint for others.
      const malloryList = await api()
        .get('/api/litemaas/keys')
        .set('Authorization', as(MALLORY));
      expect(malloryList.body.items).toEqual([]);
      for (const id of [personal.id, team.body.id]) {
        for (const method of ['get', 'delete'] as const) {
          const res = await api()
            [method](`/api/litemaas/keys/${id}`)
            .set('Authorization', as(MALLORY));
          expect(res.status).toBe(404);
        }
        const patch = await api()
          .patch(`/api/litemaas/keys/${id}`)
          .set('Authorization', as(MALLORY))
          .send({ models: [MINI] });
        expect(patch.status).toBe(404);
        const rotate = await api()
          .post(`/api/litemaas/keys/${id}/rotate`)
          .set('Authorization', as(MALLORY))
          .send({});
        expect(rotate.status).toBe(404);
      }
      for (const owner of [PAYMENTS, BOB]) {
        const res = await createKey(MALLORY, {
          name: 'x',
          models: [MINI],
          owner,
        });
        expect(res.status).toBe(403);
      }

      // No token: 401. A service token: no keys listed, created or revoked.
      expect(
        (
          await api()
            .get('/api/litemaas/keys')
            .set('Authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
      const service = backend.service();
      const serviceList = await api()
        .get('/api/litemaas/keys')
        .set('Authorization', service);
      const serviceCreate = await api()
        .post('/api/litemaas/keys')
        .set('Authorization', service)
        .send({ name: 'svc', models: [MINI], owner: BOB });
      const serviceRevoke = await api()
        .delete(`/api/litemaas/keys/${personal.id}`)
        .set('Authorization', service);
      for (const res of [serviceList, serviceCreate, serviceRevoke]) {
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(
          /does not allow 'service' credentials/,
        );
        expect(res.body.items).toBeUndefined();
      }
      const still = await api()
        .get(`/api/litemaas/keys/${personal.id}`)
        .set('Authorization', as(BOB));
      expect(still.body.status).toBe('active');
      expect(
        Number((await backend.knex('litemaas_keys').count({ n: '*' }))[0].n),
      ).toBe(2);

      // Carol, a member, can revoke the team key.
      const carolRevoke = await api()
        .delete(`/api/litemaas/keys/${team.body.id}`)
        .set('Authorization', as(CAROL));
      expect(carolRevoke.status).toBe(200);
      expect(backend.emulator.state.keys.has(team.body.litellmKeyHash)).toBe(
        false,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'limits: defaults applied, maximums enforced on direct calls, models must be subscribed, on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        config: {
          keys: {
            defaults: { maxBudget: 5, tpmLimit: 1000, expiresInDays: 30 },
            maximums: {
              maxBudget: 50,
              rpmLimit: 100,
              expiresInDays: 90,
              keysPerOwner: 2,
            },
          },
        },
      });
      await subscribe(backend.knex, BOB, [MINI, LLAMA]);
      const day = 86_400_000;
      const bad: Array<[Record<string, unknown>, number, RegExp]> = [
        [{ maxBudget: 51 }, 400, /maxBudget 51 is above the maximum of 50/],
        [{ rpmLimit: 101 }, 400, /rpmLimit 101 is above the maximum of 100/],
        [{ maxBudget: -1 }, 400, /body\/maxBudget must be > 0/],
        [
          { expiresAt: new Date(Date.now() - day).toISOString() },
          400,
          /future/,
        ],
        [
          { expiresAt: new Date(Date.now() + 100 * day).toISOString() },
          400,
          /within 90 days/,
        ],
        [{ models: [] }, 400, /body\/models must NOT have fewer than 1 items/],
        [{ models: [MINI, MINI] }, 400, /must not repeat/],
        [{ models: ['gpt-4o'] }, 403, /no active subscription to: gpt-4o/],
        [{ owner: CAROL }, 403, /not for user:default\/carol/],
        [{ owner: 'group:default/outsiders' }, 403, /not for group/],
        [{ owner: 'component:default/shop' }, 404, /not found in the catalog/],
        [{ user_id: CAROL }, 400, /body must NOT have additional properties/],
        [
          { team_id: 'admins' },
          400,
          /body must NOT have additional properties/,
        ],
      ];
      for (const [override, status, message] of bad) {
        const res = await createKey(BOB, {
          name: 'k',
          models: [MINI],
          ...override,
        });
        expect(`${JSON.stringify(override)} → ${res.status}`).toBe(
          `${JSON.stringify(override)} → ${status}`,
        );
        expect(res.body.error.message).toMatch(message);
      }
      expect(backend.emulator.state.keys.size).toBe(0);

      const withDefaults = await createKey(BOB, { name: 'k', models: [MINI] });
      expect(withDefaults.status).toBe(201);
      expect(withDefaults.body).toMatchObject({
        maxBudget: 5,
        tpmLimit: 1000,
        rpmLimit: 100, // no default: the maximum applies
      });
      const expires = Date.parse(withDefaults.body.expiresAt);
      expect(Math.abs(expires - (Date.now() + 30 * day))).toBeLessThan(60_000);
      const row = backend.emulator.state.keys.get(
        withDefaults.body.litellmKeyHash,
      )!;
      expect(row).toMatchObject({
        max_budget: 5,
        tpm_limit: 1000,
        rpm_limit: 100,
      });
      expect(Math.abs(Date.parse(row.expires!) - expires)).toBeLessThan(5_000);

      // PATCH: maximums hold, limits cannot be removed, models must be subscribed.
      const id = withDefaults.body.id;
      const patch = (body: Record<string, unknown>) =>
        api()
          .patch(`/api/litemaas/keys/${id}`)
          .set('Authorization', as(BOB))
          .send(body);
      expect((await patch({ maxBudget: 60 })).status).toBe(400);
      expect((await patch({ maxBudget: null })).status).toBe(400);
      expect((await patch({ models: [] })).status).toBe(400);
      expect((await patch({ models: ['gpt-4o'] })).status).toBe(403);
      expect((await patch({})).status).toBe(400);
      expect((await patch({ user_id: CAROL })).status).toBe(400);
      const ok = await patch({
        models: [MINI, LLAMA],
        maxBudget: 20,
        name: 'renamed',
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        name: 'renamed',
        maxBudget: 20,
        models: [MINI, LLAMA],
      });
      expect(
        [
          ...backend.emulator.state.keys.get(withDefaults.body.litellmKeyHash)!
            .models,
        ].sort(),
      ).toEqual([MINI, LLAMA]);
      expect(
        backend.emulator.state.keys.get(withDefaults.body.litellmKeyHash)!
          .max_budget,
      ).toBe(20);

      // keysPerOwner.
      expect(
        (await createKey(BOB, { name: 'k2', models: [MINI] })).status,
      ).toBe(201);
      const third = await createKey(BOB, { name: 'k3', models: [MINI] });
      expect(third.status).toBe(409);
      expect(third.body.error.message).toMatch(/maximum is 2/);

      // Rotation grace above the configured maximum.
      const grace = await api()
        .post(`/api/litemaas/keys/${id}/rotate`)
        .set('Authorization', as(BOB))
        .send({ gracePeriodSeconds: 9_999_999 });
      expect(grace.status).toBe(400);

      // The config the frontend and scripts read.
      const config = await api()
        .get('/api/litemaas/config')
        .set('Authorization', as(BOB));
      expect(config.status).toBe(200);
      expect(config.body).toMatchObject({
        currency: 'USD',
        keyDefaults: { maxBudget: 5, tpmLimit: 1000, expiresInDays: 30 },
        keyMaximums: { maxBudget: 50, keysPerOwner: 2 },
        rotationMaxGraceSeconds: 86400,
      });
      expect(JSON.stringify(config.body)).not.toMatch(/masterKey|sk-/);
    },
  );

  it.each(databases.eachSupportedId())(
    'admin: lookup by secret and display name, block that the owner cannot undo and is told of, unblock, on %p',
    async databaseId => {
      const sent: NotificationSendOptions[] = [];
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        features: [capturingNotificationService(sent)],
      });
      await subscribe(backend.knex, BOB, [MINI]);
      const key = (await createKey(BOB, { name: 'leaky', models: [MINI] }))
        .body;
      const lookup = (user: string, body: unknown) =>
        api()
          .post('/api/litemaas/admin/keys/lookup')
          .set('Authorization', as(user))
          .send(body as object);

      expect((await lookup(BOB, { secret: key.secret })).status).toBe(403);
      expect((await lookup(ALICE, {})).status).toBe(400);
      const bySecret = await lookup(ALICE, { secret: key.secret });
      expect(bySecret.status).toBe(200);
      expect(bySecret.body.matches).toHaveLength(1);
      expect(bySecret.body.matches[0]).toMatchObject({
        managed: true,
        ownerRef: BOB,
        createdBy: BOB,
        models: [MINI],
        status: 'active',
        key: { id: key.id },
        litellm: { found: true, userId: BOB, alias: key.litellmAlias },
      });
      const byName = await lookup(ALICE, { displayName: key.displayName });
      expect(byName.body.matches.map((m: any) => m.key.id)).toEqual([key.id]);
      const unknown = await lookup(ALICE, {
        secret: `sk-${'x'.repeat(10)}${Date.now()}`,
      });
      expect(unknown.body.matches).toEqual([]);

      // Block: the owner can neither unblock nor change nor rotate it.
      const block = await api()
        .post(`/api/litemaas/admin/keys/${key.id}/block`)
        .set('Authorization', as(ALICE))
        .send({ reason: 'leaked in a public repo' });
      expect(block.status).toBe(200);
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: BOB },
          payload: expect.objectContaining({
            title: expect.stringContaining(key.displayName),
            description: expect.stringContaining('leaked in a public repo'),
            severity: 'high',
          }),
        },
      ]);
      expect(JSON.stringify(sent)).not.toContain(key.secret);
      expect(block.body).toMatchObject({
        status: 'blocked',
        blockedByAdmin: true,
      });
      expect(backend.emulator.state.keys.get(key.litellmKeyHash)?.blocked).toBe(
        true,
      );
      expect(await chatStatus(backend, key.secret, MINI)).toBe(401);
      const ownerUnblock = await api()
        .post(`/api/litemaas/admin/keys/${key.id}/unblock`)
        .set('Authorization', as(BOB))
        .send({});
      expect(ownerUnblock.status).toBe(403);
      const ownerPatch = await api()
        .patch(`/api/litemaas/keys/${key.id}`)
        .set('Authorization', as(BOB))
        .send({ models: [MINI] });
      expect(ownerPatch.status).toBe(403);
      const ownerRotate = await api()
        .post(`/api/litemaas/keys/${key.id}/rotate`)
        .set('Authorization', as(BOB))
        .send({});
      expect(ownerRotate.status).toBe(409);
      expect(backend.emulator.state.keys.get(key.litellmKeyHash)?.blocked).toBe(
        true,
      );
      expect(await chatStatus(backend, key.secret, MINI)).toBe(401);

      const unblock = await api()
        .post(`/api/litemaas/admin/keys/${key.id}/unblock`)
        .set('Authorization', as(ALICE))
        .send({});
      expect(unblock.status).toBe(200);
      expect(unblock.body).toMatchObject({
        status: 'active',
        blockedByAdmin: false,
      });
      expect(await chatStatus(backend, key.secret, MINI)).toBe(200);

      // The owner's notice (audit) names them and never the secret.
      const audit = await backend
        .knex('litemaas_audit')
        .whereIn('action', ['key.block', 'key.unblock', 'key.lookup'])
        .select('*');
      expect(audit.map(a => `${a.action}:${a.outcome}`)).toEqual(
        expect.arrayContaining([
          'key.block:success',
          'key.unblock:success',
          'key.unblock:denied',
          'key.lookup:success',
        ]),
      );
      const block1 = audit.find(
        a => a.action === 'key.block' && a.outcome === 'success',
      );
      expect(JSON.parse(block1.details)).toMatchObject({ notifyOwner: BOB });
      expect(JSON.stringify(audit)).not.toContain(key.secret);

      // Admins revoke through the normal route.
      const revoke = await api()
        .delete(`/api/litemaas/keys/${key.id}`)
        .set('Authorization', as(ALICE));
      expect(revoke.status).toBe(200);
      expect(backend.emulator.state.keys.has(key.litellmKeyHash)).toBe(false);
    },
  );

  it('GET /keys/:id answers from the database while LiteLLM is down', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    await subscribe(backend.knex, BOB, [MINI]);
    const key = (await createKey(BOB, { name: 'k', models: [MINI] })).body;
    backend.emulator.injectFault({ path: '/key/info', status: 503 });
    const res = await api()
      .get(`/api/litemaas/keys/${key.id}`)
      .set('Authorization', as(BOB));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: key.id,
      status: 'active',
      usage: { available: false, spend: null },
    });
  });

  it.each(databases.eachSupportedId())(
    'GET /keys?include=usage gives each key its LiteLLM spend with one batched read, cached, and still answers while LiteLLM is down, on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        config: { keys: { maximums: { keysPerOwner: 10 } } },
      });
      await subscribe(backend.knex, BOB, [MINI]);
      const keys = [];
      for (const name of ['a', 'b', 'c']) {
        const created = await createKey(BOB, {
          name,
          models: [MINI],
          maxBudget: 10,
        });
        expect(created.status).toBe(201);
        keys.push(created.body);
      }
      // Spend as LiteLLM counts it, on two of the three keys.
      backend.emulator.state.keys.get(keys[0].litellmKeyHash)!.spend = 2.5;
      backend.emulator.state.keys.get(keys[2].litellmKeyHash)!.spend = 7;
      // The emulator counts the calls through faults that only delay them by 1 ms.
      const COUNTED = 1000;
      for (const path of ['/v2/key/info', '/key/info']) {
        backend.emulator.injectFault({ path, latencyMs: 1, times: COUNTED });
      }
      const callsTo = (path: string) =>
        COUNTED -
        backend!.emulator.state.faults.find(f => f.path === path)!.remaining;

      const list = () =>
        api()
          .get('/api/litemaas/keys?include=usage')
          .set('Authorization', as(BOB));
      const first = await list();
      expect(first.status).toBe(200);
      const spendOf = (body: any) =>
        Object.fromEntries(
          body.items.map((k: any) => [
            k.name,
            [k.usage.spend, k.usage.available],
          ]),
        );
      expect(spendOf(first.body)).toEqual({
        a: [2.5, true],
        b: [0, true],
        c: [7, true],
      });
      expect(first.body.items[0].usage).toMatchObject({
        maxBudget: 10,
        blockedInLiteLLM: false,
      });
      // One /v2/key/info for the three keys, none key by key.
      expect(callsTo('/v2/key/info')).toBe(1);
      expect(callsTo('/key/info')).toBe(0);

      // Within the cache's 30 s the list asks LiteLLM nothing.
      expect((await list()).body.items).toHaveLength(3);
      expect(callsTo('/v2/key/info')).toBe(1);

      // Without include=usage the list carries no usage at all.
      const plain = await api()
        .get('/api/litemaas/keys')
        .set('Authorization', as(BOB));
      expect(plain.body.items.map((k: any) => k.usage)).toEqual([
        undefined,
        undefined,
        undefined,
      ]);

      // A revoked key leaves the list; a changed key's cached read is forgotten. Then
      // with LiteLLM down the list still answers 200 and says whose usage it lacks.
      const revoked = await api()
        .delete(`/api/litemaas/keys/${keys[1].id}`)
        .set('Authorization', as(BOB));
      expect(revoked.status).toBe(200);
      for (const key of [keys[0], keys[2]]) {
        const changed = await api()
          .patch(`/api/litemaas/keys/${key.id}`)
          .set('Authorization', as(BOB))
          .send({ maxBudget: 20 });
        expect(changed.status).toBe(200);
      }
      backend.emulator.clearFaults();
      backend.emulator.injectFault({ path: '/v2/key/info', status: 503 });
      const down = await list();
      expect(down.status).toBe(200);
      expect(spendOf(down.body)).toEqual({
        a: [null, false],
        c: [null, false],
      });
    },
  );

  it('rejects bad ids and queries with 400', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    for (const path of [
      '/keys/not-a-uuid',
      '/keys?status=bogus',
      '/keys?x=1',
      '/keys?include=secrets',
    ]) {
      const res = await api()
        .get(`/api/litemaas${path}`)
        .set('Authorization', as(BOB));
      expect(`${path} ${res.status}`).toBe(`${path} 400`);
    }
    const missing = await api()
      .get('/api/litemaas/keys/00000000-0000-4000-8000-000000000000')
      .set('Authorization', as(BOB));
    expect(missing.status).toBe(404);
  });

  it.each(databases.eachSupportedId())(
    'rotates a key on a LiteLLM without the enterprise regenerate, on %p',
    async databaseId => {
      // OSS LiteLLM answers /key/regenerate with 500: rotation must not depend on it.
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        emulator: { behaviour: { regenerate: 'enterprise500' } },
      });
      await subscribe(backend.knex, BOB, [MINI]);
      const created = await createKey(BOB, {
        name: 'OSS proxy',
        models: [MINI],
      });
      expect(created.status).toBe(201);

      const rotated = await api()
        .post(`/api/litemaas/keys/${created.body.id}/rotate`)
        .set('Authorization', as(BOB))
        .send({ gracePeriodSeconds: 0 });

      expect(rotated.status).toBe(201);
      expect(rotated.body).toMatchObject({
        rotatedFromKeyId: created.body.id,
        status: 'active',
        models: [MINI],
      });
      expect(rotated.body.secret).not.toBe(created.body.secret);
      expect(await chatStatus(backend, rotated.body.secret, MINI)).toBe(200);
      expect(await chatStatus(backend, created.body.secret, MINI)).toBe(401);
      const aliases = [...backend.emulator.state.keys.values()].map(
        k => k.key_alias,
      );
      expect(aliases).toEqual([rotated.body.litellmAlias]);
    },
  );
});
