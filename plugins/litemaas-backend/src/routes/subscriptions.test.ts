import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  chatStatus,
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '../testUtils';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice'; // admin
const BOB = 'user:default/bob'; // group:default/payments
const CAROL = 'user:default/carol'; // group:default/payments
const MALLORY = 'user:default/mallory'; // group:default/outsiders
const PAYMENTS = 'group:default/payments';

const OPEN = 'gpt-4o';
const GRANITE = 'ibm-granite/granite-3.1-8b-instruct';

/** A refusal: exactly this status, error name and message. */
function expectError(
  res: { status: number; body: any },
  status: number,
  name: string,
  message: string | RegExp,
) {
  expect({ status: res.status, name: res.body?.error?.name }).toEqual({
    status,
    name,
  });
  if (typeof message === 'string') expect(res.body.error.message).toBe(message);
  else expect(res.body.error.message).toMatch(message);
}

describe('subscription routes', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  function api(b: LiteMaaSTestBackend) {
    const send = (
      method: 'get' | 'post' | 'delete' | 'patch',
      path: string,
      as: string,
      body?: unknown,
    ) => {
      const req = request(b.server)
        [method](`/api/litemaas${path}`)
        .set('Authorization', b.as(as));
      return body === undefined ? req : req.send(body as object);
    };
    return {
      subscribe: (body: unknown, as = BOB) =>
        send('post', '/subscriptions', as, body),
      mine: (as = BOB) => send('get', '/subscriptions', as),
      get: (id: string, as = BOB) => send('get', `/subscriptions/${id}`, as),
      cancel: (id: string, as = BOB) =>
        send('delete', `/subscriptions/${id}`, as),
      approve: (id: string, body: unknown = {}, as = ALICE) =>
        send('post', `/admin/subscriptions/${id}/approve`, as, body),
      deny: (id: string, body: unknown, as = ALICE) =>
        send('post', `/admin/subscriptions/${id}/deny`, as, body),
      queue: (query: string, as = ALICE) =>
        send('get', `/admin/subscriptions?${query}`, as),
      patchModel: (id: string, body: unknown) =>
        send('patch', `/admin/models/${id}`, ALICE, body),
    };
  }

  async function start(databaseId: Parameters<typeof databases.init>[0]) {
    backend = await startLiteMaaSTestBackend({ databases, databaseId });
    const res = await request(backend.server)
      .post('/api/litemaas/admin/models/sync')
      .set('Authorization', backend.as(ALICE));
    expect(res.status).toBe(200);
    return backend;
  }

  it.each(databases.eachSupportedId())(
    'subscribes to an open model at once, and a repeat returns the same one, on %p',
    async databaseId => {
      const b = await start(databaseId);
      const a = api(b);

      const first = await a.subscribe({ modelId: OPEN });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        subjectRef: BOB,
        modelId: OPEN,
        status: 'active',
        createdBy: BOB,
        expiresAt: null,
      });
      // The user exists in LiteLLM now.
      expect(b.emulator.state.users.has(BOB)).toBe(true);

      const again = await a.subscribe({ modelId: OPEN });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);

      const mine = await a.mine();
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((s: any) => s.id)).toEqual([first.body.id]);
      expect((await a.mine(CAROL)).body.items).toEqual([]);

      const audit = await request(b.server)
        .get('/api/litemaas/admin/audit?action=subscription.create')
        .set('Authorization', b.as(ALICE));
      expect(audit.body.items).toHaveLength(2);
      expect(audit.body.items[1]).toMatchObject({
        actorRef: BOB,
        targetId: first.body.id,
        outcome: 'success',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one row for 10 concurrent subscriptions on %p',
    async databaseId => {
      const b = await start(databaseId);
      const a = api(b);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => a.subscribe({ modelId: OPEN })),
      );
      expect(results.map(r => r.status).sort()).toEqual([
        200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
      ]);
      expect(new Set(results.map(r => r.body.id)).size).toBe(1);
      const rows = await b
        .knex('litemaas_subscriptions')
        .where({ subject_ref: BOB, model_id: OPEN });
      expect(rows).toHaveLength(1);
      const history = await b
        .knex('litemaas_subscription_history')
        .where({ subscription_id: rows[0].id });
      expect(history).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'makes a restricted model a pending request that an admin approves, with history, on %p',
    async databaseId => {
      const b = await start(databaseId);
      const a = api(b);
      expect((await a.patchModel(GRANITE, { restricted: true })).status).toBe(
        200,
      );

      const asked = await a.subscribe({
        modelId: GRANITE,
        justification: 'Fraud detection prototype',
      });
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({
        status: 'pending',
        justification: 'Fraud detection prototype',
      });
      const id = asked.body.id;

      // Bob cannot decide anything.
      expect((await a.approve(id, {}, BOB)).status).toBe(403);
      expect((await a.queue('status=pending', BOB)).status).toBe(403);

      const queue = await a.queue('status=pending');
      expect(queue.status).toBe(200);
      expect(queue.body).toMatchObject({ total: 1 });
      expect(queue.body.items[0].id).toBe(id);
      expect((await a.queue('')).body.total).toBe(1); // pending by default
      expect((await a.queue('status=active')).body.total).toBe(0);
      expect((await a.queue('limit=0')).status).toBe(400);
      expect((await a.queue('status=weird')).status).toBe(400);

      const approved = await a.approve(id, { reason: 'Looks fine' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        id,
        status: 'active',
        decidedBy: ALICE,
        reason: 'Looks fine',
        expiresAt: null,
      });
      // Deciding twice is a conflict, not a silent success.
      expectError(
        await a.approve(id),
        409,
        'ConflictError',
        `Subscription '${id}' is active; only pending requests can be approved`,
      );

      const detail = await a.get(id);
      expect(detail.status).toBe(200);
      expect(
        detail.body.history.map((h: any) => [h.fromStatus, h.toStatus]),
      ).toEqual([
        [null, 'pending'],
        ['pending', 'active'],
      ]);
      expect(detail.body.history[1].actorRef).toBe(ALICE);
      expect((await a.get(id, MALLORY)).status).toBe(404);
      expect((await a.queue('status=pending')).body.total).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    "lets members of the model's owner group decide, but not their own requests, on %p",
    async databaseId => {
      const b = await start(databaseId);
      const a = api(b);
      expect(
        (
          await a.patchModel(GRANITE, {
            restricted: true,
            ownerGroupRef: PAYMENTS,
          })
        ).status,
      ).toBe(200);
      // A restricted model nobody in payments owns.
      expect((await a.patchModel('o3-mini', { restricted: true })).status).toBe(
        200,
      );

      const fromMallory = await a.subscribe({ modelId: GRANITE }, MALLORY);
      const fromBob = await a.subscribe({ modelId: GRANITE }, BOB);
      const otherModel = await a.subscribe({ modelId: 'o3-mini' }, MALLORY);
      expect(
        [fromMallory, fromBob, otherModel].map(r => r.body.status),
      ).toEqual(['pending', 'pending', 'pending']);

      // Carol's queue shows the requests for the models her group owns only.
      const carolQueue = await a.queue('status=pending', CAROL);
      expect(carolQueue.status).toBe(200);
      expect(carolQueue.body.items.map((s: any) => s.id).sort()).toEqual(
        [fromMallory.body.id, fromBob.body.id].sort(),
      );
      expect(carolQueue.body.total).toBe(2);
      expect(
        (await a.queue('status=pending&limit=1&offset=1', CAROL)).body,
      ).toMatchObject({ total: 2, items: [expect.any(Object)] });
      expect((await a.queue('status=pending')).body.total).toBe(3);
      expect((await a.queue('status=pending', MALLORY)).status).toBe(403);

      // Not for a model her group does not own.
      expect((await a.approve(otherModel.body.id, {}, CAROL)).status).toBe(403);
      // Mallory is not an owner.
      expect((await a.approve(fromBob.body.id, {}, MALLORY)).status).toBe(403);
      expect(
        (await a.deny(fromBob.body.id, { reason: 'no' }, MALLORY)).status,
      ).toBe(403);
      // Bob may not approve his own request.
      const self = await a.approve(fromBob.body.id, {}, BOB);
      expect(self.status).toBe(403);
      expect(self.body.error.message).toMatch(/request you made/);

      const byCarol = await a.approve(fromBob.body.id, {}, CAROL);
      expect(byCarol.status).toBe(200);
      expect(byCarol.body).toMatchObject({
        status: 'active',
        decidedBy: CAROL,
      });
      const mallorysByBob = await a.deny(
        fromMallory.body.id,
        { reason: 'Not for outsiders' },
        BOB,
      );
      expect(mallorysByBob.status).toBe(200);
      expect(mallorysByBob.body).toMatchObject({
        status: 'denied',
        decidedBy: BOB,
      });

      // Admins may approve their own requests.
      const alices = await a.subscribe({ modelId: 'o3-mini' }, ALICE);
      expect(alices.body.status).toBe('pending');
      expect((await a.approve(alices.body.id, {}, ALICE)).status).toBe(200);

      expect(
        (await a.approve('00000000-0000-4000-8000-000000000000')).status,
      ).toBe(404);
      expect((await a.approve('not-a-uuid')).status).toBe(400);
    },
  );

  it.each(databases.eachSupportedId())(
    'requires a reason to deny, and a new justification to ask again, on %p',
    async databaseId => {
      const b = await start(databaseId);
      const a = api(b);
      await a.patchModel(GRANITE, { restricted: true });
      const asked = await a.subscribe({
        modelId: GRANITE,
        justification: 'First try',
      });
      const id = asked.body.id;

      for (const body of [
        {},
        { reason: '' },
        { reason: '   ' },
        { why: 'x' },
      ]) {
        const res = await a.deny(id, body);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
      }
      expect((await a.get(id)).body.status).toBe('pending');

      const denied = await a.deny(id, { reason: 'Use the open model' });
      expect(denied.status).toBe(200);
      expect(denied.body).toMatchObject({
        status: 'denied',
        reason: 'Use the open model',
        decidedBy: ALICE,
      });
      expectError(
        await a.approve(id),
        409,
        'ConflictError',
        `Subscription '${id}' is denied; only pending requests can be approved`,
      );

      // Asking again without (or with the same) justification does not reopen it.
      const deniedAgain = `The request for '${GRANITE}' was denied (Use the open model); give a new justification to ask again`;
      expectError(
        await a.subscribe({ modelId: GRANITE }),
        409,
        'ConflictError',
        deniedAgain,
      );
      expectError(
        await a.subscribe({ modelId: GRANITE, justification: 'First try' }),
        409,
        'ConflictError',
        deniedAgain,
      );
      expect((await a.get(id)).body.status).toBe('denied');

      const again = await a.subscribe({
        modelId: GRANITE,
        justification: 'Needed for the audit project',
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        id,
        status: 'pending',
        justification: 'Needed for the audit project',
        decidedBy: null,
      });

      // An admin's denial of an open model is not undone by asking again either.
      const open = await a.subscribe({ modelId: OPEN });
      expect(open.body.status).toBe('active');
      expect((await a.deny(open.body.id, { reason: 'abuse' })).status).toBe(
        200,
      );
      const retry = await a.subscribe({
        modelId: OPEN,
        justification: 'please',
      });
      expect(retry.status).toBe(200);
      expect(retry.body.status).toBe('pending');

      const history = await a.get(id);
      expect(
        history.body.history.map((h: any) => `${h.fromStatus}>${h.toStatus}`),
      ).toEqual(['null>pending', 'pending>denied', 'denied>pending']);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets the subject cancel and resubscribe; others get 404, on %p',
    async databaseId => {
      const b = await start(databaseId);
      const a = api(b);
      const own = await a.subscribe({ modelId: OPEN });
      const id = own.body.id;

      expect((await a.cancel(id, CAROL)).status).toBe(404);
      expect((await a.cancel(id, MALLORY)).status).toBe(404);
      expect((await a.get(id, CAROL)).status).toBe(404);
      expect(
        (await a.cancel('00000000-0000-4000-8000-000000000000')).status,
      ).toBe(404);
      expect((await a.cancel('nope')).status).toBe(400);

      const cancelled = await a.cancel(id);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      // Cancelling again changes nothing.
      expect((await a.cancel(id)).body.status).toBe('cancelled');

      const back = await a.subscribe({ modelId: OPEN });
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ id, status: 'active' });

      // A group subscription: any member may cancel it, outsiders may not.
      const team = await a.subscribe(
        { modelId: 'o3-mini', subject: PAYMENTS },
        CAROL,
      );
      expect(team.status).toBe(201);
      expect(team.body.subjectRef).toBe(PAYMENTS);
      expect((await a.mine(BOB)).body.items.map((s: any) => s.id)).toEqual([
        id,
        team.body.id,
      ]);
      expect((await a.cancel(team.body.id, MALLORY)).status).toBe(404);
      expect((await a.cancel(team.body.id, BOB)).body.status).toBe('cancelled');

      // A denied subscription has nothing to cancel.
      await a.deny(id, { reason: 'over budget' });
      expectError(
        await a.cancel(id),
        409,
        'ConflictError',
        `Subscription '${id}' is denied; there is nothing to cancel`,
      );

      const audit = await request(b.server)
        .get('/api/litemaas/admin/audit?action=subscription.cancel')
        .set('Authorization', b.as(ALICE));
      const outcomes = audit.body.items.map((e: any) => e.outcome).sort();
      expect(outcomes).toEqual([
        'denied',
        'denied',
        'denied',
        'denied',
        'failure',
        'success',
        'success',
        'success',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'checks the subject, the model and the body of a request on %p',
    async databaseId => {
      const b = await start(databaseId);
      const a = api(b);

      const forCarol = await a.subscribe({ modelId: OPEN, subject: CAROL });
      expect(forCarol.status).toBe(403);
      const forOutsiders = await a.subscribe({
        modelId: OPEN,
        subject: 'group:default/outsiders',
      });
      expect(forOutsiders.status).toBe(403);
      // Refs compare case-insensitively.
      const team = await a.subscribe({
        modelId: OPEN,
        subject: 'Group:default/Payments',
      });
      expect(team.status).toBe(201);
      expect(team.body.subjectRef).toBe(PAYMENTS);

      const unknown = await a.subscribe({ modelId: 'acme/none:1' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/acme\/none:1/);

      // A model LiteLLM no longer serves.
      const upstream = await fetch(`${b.emulator.url}/model/info`, {
        headers: { Authorization: `Bearer ${b.emulator.masterKey}` },
      }).then(r => r.json() as Promise<{ data: any[] }>);
      b.emulator.injectFault({
        path: '/model/info',
        status: 200,
        body: { data: upstream.data.filter(m => m.model_name !== 'o3-mini') },
      });
      await request(b.server)
        .post('/api/litemaas/admin/models/sync')
        .set('Authorization', b.as(ALICE));
      expectError(
        await a.subscribe({ modelId: 'o3-mini' }),
        409,
        'ConflictError',
        "Model 'o3-mini' is no longer offered by the LiteLLM proxy",
      );

      for (const body of [
        {},
        { modelId: '' },
        { modelId: 42 },
        { modelId: OPEN, subject: 'component:default/svc' },
        { modelId: OPEN, subject: 'not a ref' },
        { modelId: OPEN, extra: true },
        { modelId: OPEN, justification: 'x'.repeat(1001) },
      ]) {
        const res = await a.subscribe(body);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
      }
      const notJson = await request(b.server)
        .post('/api/litemaas/subscriptions')
        .set('Authorization', b.as(BOB))
        .set('Content-Type', 'application/json')
        .send('{"modelId":');
      expect(notJson.status).toBe(400);
      const rows = await b.knex('litemaas_subscriptions').count('* as n');
      expect(Number(rows[0].n)).toBe(1);
    },
  );

  it('refuses anonymous callers and service tokens on user routes', async () => {
    const b = await start('SQLITE_3');
    const mine = await api(b).subscribe({ modelId: OPEN });
    // Each with a body the spec accepts, so that only the caller is wrong.
    for (const [method, path, body] of [
      ['get', '/subscriptions', undefined],
      ['post', '/subscriptions', { modelId: OPEN }],
      ['delete', `/subscriptions/${mine.body.id}`, undefined],
      ['get', '/admin/subscriptions', undefined],
      ['post', `/admin/subscriptions/${mine.body.id}/deny`, { reason: 'x' }],
    ] as const) {
      const none = await request(b.server)
        [method](`/api/litemaas${path}`)
        .set('Authorization', mockCredentials.none.header())
        .send(body);
      expect(none.status).toBe(401);
      const service = await request(b.server)
        [method](`/api/litemaas${path}`)
        .set('Authorization', b.service())
        .send(body);
      expect(service.status).toBe(403);
    }
    expect((await api(b).get(mine.body.id)).body.status).toBe('active');
  });

  it('answers 503 and writes nothing when LiteLLM is down for a new user', async () => {
    const b = await start('SQLITE_3');
    b.emulator.injectFault({ path: '/user/*', status: 503 });
    b.emulator.injectFault({ path: '/team/*', status: 503 });
    expectError(
      await api(b).subscribe({ modelId: OPEN }),
      503,
      'ServiceUnavailableError',
      'The LiteLLM proxy is unavailable, try again later (LiteLLM GET /team/info answered 503 (internal_server_error): Emulator injected fault: HTTP 503)',
    );
    expect(await b.knex('litemaas_subscriptions').select()).toEqual([]);
    b.emulator.clearFaults();
    expect((await api(b).subscribe({ modelId: OPEN })).status).toBe(201);
  });

  describe('effect on API keys', () => {
    async function createKey(
      b: LiteMaaSTestBackend,
      as: string,
      body: Record<string, unknown>,
    ) {
      const res = await request(b.server)
        .post('/api/litemaas/keys')
        .set('Authorization', b.as(as))
        .send(body);
      expect(res.status).toBe(201);
      return res.body as { id: string; litellmAlias: string; secret: string };
    }

    function emulatorKey(b: LiteMaaSTestBackend, alias: string) {
      const row = [...b.emulator.state.keys.values()].find(
        k => k.key_alias === alias,
      );
      if (!row) throw new Error(`no LiteLLM key with alias ${alias}`);
      return row;
    }

    /** LiteLLM never got an empty model list (which would mean "all models"). */
    function expectNoKeyWithAllModels(b: LiteMaaSTestBackend) {
      for (const key of b.emulator.state.keys.values()) {
        expect(key.models.length).toBeGreaterThan(0);
      }
    }

    it.each(databases.eachSupportedId())(
      'takes the model out of the keys on cancel and deny, and blocks a key left with none, on %p',
      async databaseId => {
        const b = await start(databaseId);
        const a = api(b);
        const gpt = await a.subscribe({ modelId: OPEN });
        const o3 = await a.subscribe({ modelId: 'o3-mini' });
        await a.subscribe({ modelId: OPEN }, CAROL);

        const both = await createKey(b, BOB, {
          name: 'both',
          models: [OPEN, 'o3-mini'],
        });
        const only = await createKey(b, BOB, { name: 'only', models: [OPEN] });
        const carols = await createKey(b, CAROL, {
          name: 'carol',
          models: [OPEN],
        });
        expect(await chatStatus(b, both.secret, OPEN)).toBe(200);
        expect(await chatStatus(b, only.secret, OPEN)).toBe(200);

        expect((await a.cancel(gpt.body.id)).status).toBe(200);

        expect(emulatorKey(b, both.litellmAlias).models).toEqual(['o3-mini']);
        expect(emulatorKey(b, both.litellmAlias).blocked).toBeFalsy();
        const blocked = emulatorKey(b, only.litellmAlias);
        expect(blocked.blocked).toBe(true);
        expect(blocked.models).toEqual([OPEN]);
        // Carol's key is hers: untouched.
        expect(emulatorKey(b, carols.litellmAlias).models).toEqual([OPEN]);
        expectNoKeyWithAllModels(b);

        // Model taken out of the key: LiteLLM refuses it (403); a blocked key is 401.
        expect(await chatStatus(b, both.secret, OPEN)).toBe(403);
        expect(await chatStatus(b, both.secret, 'o3-mini')).toBe(200);
        expect(await chatStatus(b, only.secret, OPEN)).toBe(401);
        expect(await chatStatus(b, carols.secret, OPEN)).toBe(200);

        const onlyRow = await request(b.server)
          .get(`/api/litemaas/keys/${only.id}`)
          .set('Authorization', b.as(BOB));
        expect(onlyRow.body.status).toBe('blocked');

        // An admin withdraws o3-mini: the last model of the other key goes too.
        const denied = await a.deny(o3.body.id, { reason: 'cost review' });
        expect(denied.status).toBe(200);
        const last = emulatorKey(b, both.litellmAlias);
        expect(last.blocked).toBe(true);
        expect(last.models).toEqual(['o3-mini']);
        expectNoKeyWithAllModels(b);
        expect(await chatStatus(b, both.secret, 'o3-mini')).toBe(401);
        expect(await chatStatus(b, both.secret, 'gpt-4o-mini')).toBe(401);
      },
    );

    it('cancels first, says 503 when the keys cannot be updated, and a repeat finishes it', async () => {
      const b = await start('SQLITE_3');
      const a = api(b);
      const gpt = await a.subscribe({ modelId: OPEN });
      await a.subscribe({ modelId: 'o3-mini' });
      const key = await createKey(b, BOB, {
        name: 'k',
        models: [OPEN, 'o3-mini'],
      });

      b.emulator.injectFault({ path: '/key/update', status: 503 });
      expectError(
        await a.cancel(gpt.body.id),
        503,
        'ServiceUnavailableError',
        /^The subscription is cancelled, but could not remove model/,
      );
      // The grant is gone at once: a key created now cannot get the model.
      expect((await a.get(gpt.body.id)).body.status).toBe('cancelled');
      expect(emulatorKey(b, key.litellmAlias).models).toEqual([
        OPEN,
        'o3-mini',
      ]);

      b.emulator.clearFaults();
      const repeat = await a.cancel(gpt.body.id);
      expect(repeat.status).toBe(200);
      expect(repeat.body.status).toBe('cancelled');
      expect(emulatorKey(b, key.litellmAlias).models).toEqual(['o3-mini']);
    });
  });
});
