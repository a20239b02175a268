import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  capturingNotificationService,
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '../testUtils';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice'; // admin
const BOB = 'user:default/bob'; // group:default/payments
const CAROL = 'user:default/carol'; // group:default/payments
const MALLORY = 'user:default/mallory';

const GRANITE = 'ibm-granite/granite-3.1-8b-instruct';
const OLLAMA = 'llama3.2:3b';
const BEDROCK = 'anthropic.claude-3-5-sonnet-20241022-v2:0';

describe('model routes', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  function api(b: LiteMaaSTestBackend) {
    return {
      get: (path: string, as = BOB) =>
        request(b.server)
          .get(`/api/litemaas${path}`)
          .set('Authorization', b.as(as)),
      sync: (as = ALICE) =>
        request(b.server)
          .post('/api/litemaas/admin/models/sync')
          .set('Authorization', b.as(as)),
      patch: (id: string, body: unknown, as = ALICE) =>
        request(b.server)
          .patch(`/api/litemaas/admin/models/${id}`)
          .set('Authorization', b.as(as))
          .send(body as object),
      subscribe: (body: unknown, as = BOB) =>
        request(b.server)
          .post('/api/litemaas/subscriptions')
          .set('Authorization', b.as(as))
          .send(body as object),
    };
  }

  /** The emulator's /model/info, as LiteLLM answers it to the master key. */
  async function liteLLMModels(b: LiteMaaSTestBackend) {
    const res = await fetch(`${b.emulator.url}/model/info`, {
      headers: { Authorization: `Bearer ${b.emulator.masterKey}` },
    });
    return ((await res.json()) as { data: Array<{ model_name: string }> }).data;
  }

  it.each(databases.eachSupportedId())(
    'syncs the models of LiteLLM with their facts, and marks removed ones unavailable on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({ databases, databaseId });
      const a = api(backend);
      const upstream = await liteLLMModels(backend);
      expect(upstream.length).toBe(13);

      const first = await a.sync();
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ added: 13, updated: 0, unavailable: 0 });

      const list = await a.get('/models');
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(13);
      expect(list.body.items.map((m: any) => m.id).sort()).toEqual(
        upstream.map(m => m.model_name).sort(),
      );
      const byId = new Map<string, any>(
        list.body.items.map((m: any) => [m.id, m]),
      );
      expect(byId.get('gpt-4o')).toMatchObject({
        provider: 'openai',
        contextLength: 128000,
        inputCostPerToken: 2.5e-6,
        outputCostPerToken: 1e-5,
        mode: 'chat',
        status: 'available',
        restricted: false,
        subscription: null,
      });
      expect(byId.get('gpt-4o').capabilities).toEqual(
        expect.arrayContaining([
          'chat',
          'vision',
          'function_calling',
          'tool_choice',
          'response_schema',
        ]),
      );
      expect(byId.get('gpt-4o').capabilities).not.toContain('reasoning');
      expect(byId.get('o3-mini').capabilities).toContain('reasoning');
      expect(byId.get('o3-mini').capabilities).not.toContain('vision');
      expect(byId.get(BEDROCK).provider).toBe('bedrock');
      expect(byId.get(GRANITE).provider).toBe('hosted_vllm');
      expect(byId.get(OLLAMA).provider).toBe('ollama_chat');
      expect(byId.get('text-embedding-3-small')).toMatchObject({
        mode: 'embedding',
      });
      expect(byId.get('text-embedding-3-small').capabilities).toContain(
        'embeddings',
      );
      expect(byId.get('gpt-4o').capabilities).not.toContain('embeddings');

      // Nothing changed upstream: nothing changes here.
      expect((await a.sync()).body).toEqual({
        added: 0,
        updated: 0,
        unavailable: 0,
      });

      // LiteLLM stops serving gpt-4o-mini.
      backend.emulator.injectFault({
        path: '/model/info',
        method: 'GET',
        status: 200,
        body: { data: upstream.filter(m => m.model_name !== 'gpt-4o-mini') },
      });
      expect((await a.sync()).body).toEqual({
        added: 0,
        updated: 0,
        unavailable: 1,
      });
      const gone = await a.get('/models/gpt-4o-mini');
      expect(gone.status).toBe(200);
      expect(gone.body.status).toBe('unavailable');
      const available = await a.get('/models?status=available');
      expect(available.body.total).toBe(12);

      // It comes back.
      backend.emulator.clearFaults();
      expect((await a.sync()).body).toEqual({
        added: 0,
        updated: 1,
        unavailable: 0,
      });
      expect((await a.get('/models/gpt-4o-mini')).body.status).toBe(
        'available',
      );

      const audit = await request(backend.server)
        .get('/api/litemaas/admin/audit?action=model.sync')
        .set('Authorization', backend.as(ALICE));
      expect(audit.status).toBe(200);
      expect(audit.body.items).toHaveLength(4);
      expect(audit.body.items[0]).toMatchObject({
        actorRef: ALICE,
        outcome: 'success',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps serving models from the database while LiteLLM is down, and says so on sync on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({ databases, databaseId });
      const a = api(backend);
      expect((await a.sync()).status).toBe(200);

      await backend.emulator.close();
      const sync = await a.sync();
      expect(sync.status).toBe(503);
      expect(sync.body.error.message).toMatch(/LiteLLM proxy is unavailable/);

      const list = await a.get('/models');
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(13);
      const one = await a.get(`/models/${GRANITE}`);
      expect(one.status).toBe(200);
      expect(one.body.status).toBe('available');
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the last good models when LiteLLM answers an empty list, until an admin confirms, on %p',
    async databaseId => {
      const sent: NotificationSendOptions[] = [];
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        features: [capturingNotificationService(sent)],
      });
      const a = api(backend);
      expect((await a.sync()).body).toEqual({
        added: 13,
        updated: 0,
        unavailable: 0,
      });
      expect((await a.subscribe({ modelId: 'gpt-4o' })).status).toBe(201);
      const key = await request(backend.server)
        .post('/api/litemaas/keys')
        .set('Authorization', backend.as(BOB))
        .send({ name: 'survives', models: ['gpt-4o'] });
      expect(key.status).toBe(201);

      // LiteLLM restarts with no model loaded (or its database is down): 200, no model.
      backend.emulator.injectFault({
        path: '/model/info',
        status: 200,
        body: { data: [] },
      });
      const refused = await a.sync();
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual(
        expect.objectContaining({
          name: 'ConflictError',
          message:
            'LiteLLM answered an empty model list; keeping the 13 models of the last good sync. If every model was really removed, an admin confirms it with POST /admin/models/sync?confirmEmpty=true',
        }),
      );
      const kept = await a.get('/models');
      expect(kept.body.total).toBe(13);
      expect(
        kept.body.items.filter((m: any) => m.status !== 'available'),
      ).toEqual([]);
      expect(sent).toEqual([]);
      const litellmKey = [...backend.emulator.state.keys.values()].find(
        k => k.key_alias === key.body.litellmAlias,
      );
      expect(litellmKey).toMatchObject({ models: ['gpt-4o'] });
      expect(litellmKey!.blocked).toBeFalsy();

      // A bad value is a 400, not a confirmation.
      const bad = await request(backend.server)
        .post('/api/litemaas/admin/models/sync?confirmEmpty=yes')
        .set('Authorization', backend.as(ALICE));
      expect(bad.status).toBe(400);
      expect((await a.get('/models')).body.items[0].status).toBe('available');

      // The admin confirms a real removal: now every model goes.
      const confirmed = await request(backend.server)
        .post('/api/litemaas/admin/models/sync?confirmEmpty=true')
        .set('Authorization', backend.as(ALICE));
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toEqual({ added: 0, updated: 0, unavailable: 13 });
      const gone = await a.get('/models');
      expect(
        gone.body.items.filter((m: any) => m.status === 'available'),
      ).toEqual([]);
    },
  );

  it('refuses the admin sync to non-admins, anonymous callers and services', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    const a = api(backend);
    const bob = await a.sync(BOB);
    expect(bob.status).toBe(403);
    expect(bob.body.error.message).toMatch(/litemaas\.model\.manage/);

    const anonymous = await request(backend.server)
      .post('/api/litemaas/admin/models/sync')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    expect(
      (
        await request(backend.server)
          .get('/api/litemaas/models')
          .set('Authorization', mockCredentials.none.header())
      ).status,
    ).toBe(401);
    const serviceSync = await request(backend.server)
      .post('/api/litemaas/admin/models/sync')
      .set('Authorization', backend.service());
    expect(serviceSync.status).toBe(403);
    // Nothing was synced by the refused calls.
    expect((await a.get('/models')).body.total).toBe(0);
  });

  it('lets other plugins read the models with a service token, without subscriptions', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    const a = api(backend);
    expect((await a.sync(ALICE)).status).toBe(200);
    await request(backend.server)
      .post('/api/litemaas/subscriptions')
      .set('Authorization', backend.as(BOB))
      .send({ modelId: GRANITE });
    const list = await request(backend.server)
      .get('/api/litemaas/models')
      .set('Authorization', backend.service());
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    expect(list.body.items.every((m: any) => m.subscription === null)).toBe(
      true,
    );
    const one = await request(backend.server)
      .get(`/api/litemaas/models/${GRANITE}`)
      .set('Authorization', backend.service());
    expect(one.status).toBe(200);
    expect(one.body.subscription).toBeNull();
  });

  it.each(databases.eachSupportedId())(
    'accepts model ids with /, : and . raw or URL-encoded on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({ databases, databaseId });
      const a = api(backend);
      await a.sync();

      for (const id of [GRANITE, OLLAMA, BEDROCK, 'gpt-4o']) {
        const raw = await a.get(`/models/${id}`);
        expect(raw.status).toBe(200);
        expect(raw.body.id).toBe(id);
        const encoded = await a.get(`/models/${encodeURIComponent(id)}`);
        expect(encoded.status).toBe(200);
        expect(encoded.body.id).toBe(id);
      }

      const unknown = await a.get('/models/nope/not-a-model:1');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/nope\/not-a-model:1/);
      expect(
        (await a.get(`/models/${encodeURIComponent('acme/none')}`)).status,
      ).toBe(404);

      const patched = await a.patch(encodeURIComponent(OLLAMA), {
        description: 'Small local model',
      });
      expect(patched.status).toBe(200);
      expect(patched.body.description).toBe('Small local model');
      const rawPatch = await a.patch(GRANITE, { restricted: true });
      expect(rawPatch.status).toBe(200);
      expect(rawPatch.body).toMatchObject({ id: GRANITE, restricted: true });
    },
  );

  it.each(databases.eachSupportedId())(
    'filters by search, provider, capability, restricted and status on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({ databases, databaseId });
      const a = api(backend);
      await a.sync();
      const ids = async (query: string) => {
        const res = await a.get(`/models?${query}`);
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(res.body.items.length);
        return res.body.items.map((m: any) => m.id).sort();
      };

      expect(await ids('search=GRANITE')).toEqual([
        'ibm-granite/granite-3.1-8b-instruct',
        'ibm-granite/granite-embedding-278m-multilingual',
      ]);
      expect(await ids('provider=hosted_vllm')).toEqual([
        'ibm-granite/granite-3.1-8b-instruct',
        'ibm-granite/granite-embedding-278m-multilingual',
        'meta-llama/Llama-3.3-70B-Instruct',
        'mistralai/Mistral-7B-Instruct-v0.3',
      ]);
      expect(await ids('capability=embeddings')).toEqual([
        'ibm-granite/granite-embedding-278m-multilingual',
        'text-embedding-3-small',
      ]);
      // `function_calling` must not match `parallel_function_calling` only models.
      const withTools = await ids('capability=function_calling');
      expect(withTools).toContain('gpt-4o');
      expect(withTools).not.toContain('text-embedding-3-small');

      expect(await ids('restricted=true')).toEqual([]);
      expect((await a.patch(GRANITE, { restricted: true })).status).toBe(200);
      expect(await ids('restricted=true')).toEqual([GRANITE]);
      expect(await ids('restricted=false')).not.toContain(GRANITE);
      expect(await ids('search=granite&restricted=false')).toEqual([
        'ibm-granite/granite-embedding-278m-multilingual',
      ]);

      for (const bad of [
        'restricted=yes',
        'status=gone',
        'colour=blue',
        `search=${'x'.repeat(101)}`,
        'provider=',
      ]) {
        const res = await a.get(`/models?${bad}`);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'lets admins describe and restrict models, keeps it across syncs, refuses others on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({ databases, databaseId });
      const a = api(backend);
      await a.sync();

      const update = {
        restricted: true,
        description: 'Granite for internal use',
        ownerGroupRef: 'group:default/Payments',
        deprecated: true,
        replacementModelId: 'meta-llama/Llama-3.3-70B-Instruct',
        deprecationDate: '2027-01-31T00:00:00Z',
      };
      expect((await a.patch(GRANITE, update, BOB)).status).toBe(403);
      expect((await a.patch(GRANITE, update, MALLORY)).status).toBe(403);
      expect((await a.get(`/models/${GRANITE}`)).body.restricted).toBe(false);

      const res = await a.patch(GRANITE, update);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: GRANITE,
        restricted: true,
        description: 'Granite for internal use',
        ownerGroupRef: 'group:default/payments',
        deprecated: true,
        replacementModelId: 'meta-llama/Llama-3.3-70B-Instruct',
        deprecationDate: '2027-01-31T00:00:00.000Z',
      });

      // The next sync keeps what the admin set.
      await a.sync();
      const after = await a.get(`/models/${GRANITE}`);
      expect(after.body).toMatchObject({
        restricted: true,
        description: 'Granite for internal use',
        ownerGroupRef: 'group:default/payments',
      });

      // Clearing with null.
      const cleared = await a.patch(GRANITE, {
        ownerGroupRef: null,
        deprecated: false,
        replacementModelId: null,
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        ownerGroupRef: null,
        deprecated: false,
        replacementModelId: null,
      });

      for (const bad of [
        {},
        { restricted: 'yes' },
        { ownerGroupRef: 'user:default/bob' },
        { deprecationDate: 'tomorrow' },
        { status: 'unavailable' },
        { provider: 'evil' },
      ]) {
        const r = await a.patch(GRANITE, bad);
        expect(r.status).toBe(400);
        expect(r.body.error.name).toBe('InputError');
      }
      const notJson = await request(backend.server)
        .patch(`/api/litemaas/admin/models/${GRANITE}`)
        .set('Authorization', backend.as(ALICE))
        .set('Content-Type', 'application/json')
        .send('{"restricted": tru');
      expect(notJson.status).toBe(400);
      expect(
        (await a.patch(GRANITE, { replacementModelId: 'acme/none' })).status,
      ).toBe(400);
      expect(
        (await a.patch(GRANITE, { replacementModelId: GRANITE })).status,
      ).toBe(400);
      expect((await a.patch('acme/none:1', { restricted: true })).status).toBe(
        404,
      );

      const audit = await request(backend.server)
        .get('/api/litemaas/admin/audit?action=model.update')
        .set('Authorization', backend.as(ALICE));
      const outcomes = audit.body.items.map((e: any) => e.outcome);
      expect(outcomes.filter((o: string) => o === 'success')).toHaveLength(2);
      expect(audit.body.items.some((e: any) => e.targetId === GRANITE)).toBe(
        true,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    "shows the caller's subscription, their own before their group's, on %p",
    async databaseId => {
      backend = await startLiteMaaSTestBackend({ databases, databaseId });
      const a = api(backend);
      await a.sync();

      const own = await a.subscribe({ modelId: 'gpt-4o' }, BOB);
      expect(own.status).toBe(201);
      const team = await a.subscribe(
        { modelId: 'o3-mini', subject: 'group:default/payments' },
        CAROL,
      );
      expect(team.status).toBe(201);

      const bobView = await a.get('/models/gpt-4o', BOB);
      expect(bobView.body.subscription).toEqual({
        id: own.body.id,
        subjectRef: BOB,
        status: 'active',
        expiresAt: null,
      });
      // Carol is not Bob: no subscription to gpt-4o for her.
      expect((await a.get('/models/gpt-4o', CAROL)).body.subscription).toBe(
        null,
      );
      // Bob sees his group's subscription to o3-mini.
      expect(
        (await a.get('/models/o3-mini', BOB)).body.subscription,
      ).toMatchObject({
        id: team.body.id,
        subjectRef: 'group:default/payments',
        status: 'active',
      });
      // Mallory is in another group.
      expect(
        (await a.get('/models/o3-mini', MALLORY)).body.subscription,
      ).toBeNull();

      // Bob subscribes himself too: his own wins, in the list and for one model.
      const mine = await a.subscribe({ modelId: 'o3-mini' }, BOB);
      expect(mine.status).toBe(201);
      const list = await a.get('/models', BOB);
      const o3 = list.body.items.find((m: any) => m.id === 'o3-mini');
      expect(o3.subscription).toMatchObject({
        id: mine.body.id,
        subjectRef: BOB,
      });
      expect((await a.get('/models/o3-mini', BOB)).body.subscription.id).toBe(
        mine.body.id,
      );
      expect((await a.get('/models/o3-mini', CAROL)).body.subscription.id).toBe(
        team.body.id,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'item 11: restricting a model sends unapproved grants back to approval and narrows their keys, all or nothing, on %p',
    async databaseId => {
      const sent: NotificationSendOptions[] = [];
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        features: [capturingNotificationService(sent)],
      });
      const b = backend;
      const a = api(b);
      await a.sync();
      const subscriptionOf = (subjectRef: string, modelId: string) =>
        b
          .knex('litemaas_subscriptions')
          .where({ subject_ref: subjectRef, model_id: modelId })
          .first();
      const createKey = async (
        user: string,
        name: string,
        models: string[],
      ) => {
        const res = await request(b.server)
          .post('/api/litemaas/keys')
          .set('Authorization', b.as(user))
          .send({ name, models });
        expect(res.status).toBe(201);
        return res.body.id as string;
      };
      const litellmKey = async (id: string) => {
        const row = await b.knex('litemaas_keys').where({ id }).first();
        return b.emulator.state.keys.get(row.litellm_key_hash)!;
      };

      // Bob subscribed himself to the open models; Carol's grant was approved by Alice.
      expect((await a.subscribe({ modelId: GRANITE }, BOB)).status).toBe(201);
      expect((await a.subscribe({ modelId: OLLAMA }, BOB)).status).toBe(201);
      await b.knex('litemaas_subscriptions').insert({
        id: '00000000-0000-4000-8000-00000000c0c0',
        subject_ref: CAROL,
        model_id: GRANITE,
        status: 'pending',
        justification: 'needed',
        created_by: CAROL,
        created_at: new Date(),
        updated_at: new Date(),
      });
      const approved = await request(b.server)
        .post(
          '/api/litemaas/admin/subscriptions/00000000-0000-4000-8000-00000000c0c0/approve',
        )
        .set('Authorization', b.as(ALICE))
        .send({});
      expect(approved.status).toBe(200);

      // Two keys of Bob's with both models; the later one (by id, the order keys are
      // narrowed in) keeps only Granite, so restricting it blocks that key.
      const ids = [
        await createKey(BOB, 'one', [GRANITE, OLLAMA]),
        await createKey(BOB, 'two', [GRANITE, OLLAMA]),
      ].sort();
      const [narrowed, blocked] = ids;
      expect(
        (
          await request(b.server)
            .patch(`/api/litemaas/keys/${blocked}`)
            .set('Authorization', b.as(BOB))
            .send({ models: [GRANITE] })
        ).status,
      ).toBe(200);
      const carolKey = await createKey(CAROL, 'carol', [GRANITE]);

      // Bad input and non-admins change nothing.
      for (const bad of [
        { keepExistingGrants: true },
        { restricted: false, keepExistingGrants: true },
        { restricted: true, keepExistingGrants: 'yes' },
      ]) {
        const r = await a.patch(GRANITE, bad);
        expect(r.status).toBe(400);
        expect(r.body.error.name).toBe('InputError');
      }
      expect((await a.patch(GRANITE, { restricted: true }, BOB)).status).toBe(
        403,
      );
      expect((await subscriptionOf(BOB, GRANITE)).status).toBe('active');

      // LiteLLM fails on the second key: the first gets Granite back, nothing changed.
      b.emulator.injectFault({ path: '/key/block', times: 1, status: 500 });
      const failed = await a.patch(GRANITE, { restricted: true });
      expect(failed.status).toBe(503);
      expect(failed.body.error.message).toMatch(/nothing was changed/);
      expect((await a.get(`/models/${GRANITE}`)).body.restricted).toBe(false);
      expect((await subscriptionOf(BOB, GRANITE)).status).toBe('active');
      expect((await litellmKey(narrowed)).models).toEqual([GRANITE, OLLAMA]);
      expect((await litellmKey(blocked)).blocked).toBeFalsy();
      const narrowedRow = await request(b.server)
        .get(`/api/litemaas/keys/${narrowed}`)
        .set('Authorization', b.as(BOB));
      expect(narrowedRow.body.models).toEqual([GRANITE, OLLAMA]);
      expect(sent).toEqual([]);

      // Then it works: Bob's self-service grant waits for approval and leaves his keys;
      // Carol's approved grant and key stay.
      const ok = await a.patch(GRANITE, {
        restricted: true,
        ownerGroupRef: 'group:default/ml-approvers',
      });
      expect(ok.status).toBe(200);
      expect(ok.body.restricted).toBe(true);
      expect(await subscriptionOf(BOB, GRANITE)).toMatchObject({
        status: 'pending',
        decided_by: null,
      });
      expect((await subscriptionOf(CAROL, GRANITE)).status).toBe('active');
      expect((await litellmKey(narrowed)).models).toEqual([OLLAMA]);
      expect((await litellmKey(blocked)).blocked).toBe(true);
      expect((await litellmKey(carolKey)).models).toEqual([GRANITE]);
      const keys = await request(b.server)
        .get('/api/litemaas/keys')
        .set('Authorization', b.as(BOB));
      const byId = new Map(keys.body.items.map((k: any) => [k.id, k]));
      expect(byId.get(narrowed)).toMatchObject({ models: [OLLAMA] });
      expect(byId.get(blocked)).toMatchObject({ status: 'blocked' });
      // The model's approvers first, then the subscriber.
      expect(
        sent.map(n => [
          (n.recipients as { entityRef: string }).entityRef,
          n.payload.title,
        ]),
      ).toEqual([
        ['group:default/ml-approvers', `1 request(s) for ${GRANITE} to decide`],
        [BOB, `Model ${GRANITE} now needs approval`],
      ]);
      // Until an approver decides, Bob cannot mint a key with it.
      expect(
        (
          await request(b.server)
            .post('/api/litemaas/keys')
            .set('Authorization', b.as(BOB))
            .send({ name: 'three', models: [GRANITE] })
        ).status,
      ).toBe(403);

      // keepExistingGrants: Bob keeps Ollama, and his key keeps it.
      const kept = await a.patch(OLLAMA, {
        restricted: true,
        keepExistingGrants: true,
      });
      expect(kept.status).toBe(200);
      expect(kept.body.restricted).toBe(true);
      expect((await subscriptionOf(BOB, OLLAMA)).status).toBe('active');
      expect((await litellmKey(narrowed)).models).toEqual([OLLAMA]);
      expect(sent).toHaveLength(2);
    },
  );
});
