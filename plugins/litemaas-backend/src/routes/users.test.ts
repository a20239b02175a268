import request from 'supertest';
import {
  ALICE,
  BOB,
  createTestDatabases,
  LiteMaaSTestBackend,
  MALLORY,
  startLiteMaaSTestBackend,
} from '../testUtils';

jest.setTimeout(90_000);

/** Every admin job route; none of them may run for someone who is not an admin. */
const ADMIN_JOBS: Array<[string, object]> = [
  ['/admin/models/sync', {}],
  ['/admin/keys/reconcile', {}],
  ['/admin/keys/expire-grace', {}],
  ['/admin/teams/sync', {}],
  ['/admin/usage/sync', {}],
  ['/admin/usage/resync', { from: '2026-11-01', to: '2026-11-02' }],
];

describe('admin user routes and admin jobs', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  const call = (
    method: 'get' | 'patch' | 'post',
    path: string,
    as: string,
    body?: object,
  ) => {
    const req = request(backend!.server)
      [method](`/api/litemaas${path}`)
      .set('Authorization', backend!.as(as));
    return body ? req.send(body) : req;
  };
  const bobPath = `/admin/users/${encodeURIComponent(BOB)}`;

  it.each(databases.eachSupportedId())(
    'an admin reads and sets user limits, in the database and in LiteLLM, on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        config: { keys: { maximums: { keysPerOwner: 5 } } },
      });

      // Limits can be set before the user's first visit.
      const patched = await call('patch', bobPath, ALICE, {
        maxBudget: 25,
        budgetDuration: '7d',
        tpmLimit: 1000,
        maxKeys: 3,
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        entityRef: BOB,
        maxBudget: 25,
        budgetDuration: '7d',
        tpmLimit: 1000,
        rpmLimit: null,
        maxKeys: 3,
        effective: {
          maxBudget: 25,
          budgetDuration: '7d',
          tpmLimit: 1000,
          rpmLimit: null,
          maxKeys: 3,
        },
      });
      const inLiteLLM = [...backend.emulator.state.users.values()].find(
        u => u.user_id === patched.body.litellmUserId,
      );
      expect(inLiteLLM).toMatchObject({
        max_budget: 25,
        budget_duration: '7d',
        tpm_limit: 1000,
        rpm_limit: null,
      });

      const one = await call('get', bobPath, ALICE);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ entityRef: BOB, maxBudget: 25 });
      expect(one.body.spend).toBe(0);

      // Removing an override falls back to the defaults.
      const cleared = await call('patch', bobPath, ALICE, { maxKeys: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        maxKeys: null,
        effective: { maxKeys: 5 },
      });

      const list = await call('get', '/admin/users?limit=10', ALICE);
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ limit: 10, offset: 0 });
      expect(
        list.body.items.map((u: { entityRef: string }) => u.entityRef),
      ).toEqual([BOB]);
    },
  );

  it('answers 403 to non-admins on the user routes and changes nothing', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    for (const [method, path, body] of [
      ['get', '/admin/users', undefined],
      ['get', bobPath, undefined],
      ['patch', bobPath, { maxBudget: 1_000 }],
      [
        'patch',
        `/admin/users/${encodeURIComponent(MALLORY)}`,
        { maxKeys: 100 },
      ],
    ] as const) {
      for (const who of [BOB, MALLORY]) {
        const res = await call(method, path, who, body);
        expect({ method, path, who, status: res.status }).toEqual({
          method,
          path,
          who,
          status: 403,
        });
        expect(res.body.error).toEqual(
          expect.objectContaining({
            name: 'NotAllowedError',
            message: 'You are not allowed to do this (litemaas.limits.manage)',
          }),
        );
      }
    }
    expect(await backend.knex('litemaas_users').select()).toEqual([]);
    expect(backend.emulator.state.users.size).toBe(0);
  });

  it('refuses bad input with 400 and unknown users with 404', async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    const negative = await call('patch', bobPath, ALICE, { maxKeys: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toBe(
      'request/body/maxKeys must be >= 0',
    );
    const unknownField = await call('patch', bobPath, ALICE, { admin: true });
    expect(unknownField.status).toBe(400);
    const group = await call(
      'get',
      `/admin/users/${encodeURIComponent('group:default/payments')}`,
      ALICE,
    );
    expect(group.status).toBe(400);
    const nobody = await call(
      'get',
      `/admin/users/${encodeURIComponent('user:default/nobody')}`,
      ALICE,
    );
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.message).toBe(
      "User 'user:default/nobody' not found",
    );
    expect(await backend.knex('litemaas_users').select()).toEqual([]);
  });

  it.each(ADMIN_JOBS)(
    'answers 403 to non-admins on POST %s',
    async (path, body) => {
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId: 'SQLITE_3',
      });
      for (const who of [BOB, MALLORY]) {
        const res = await call('post', path, who, body);
        expect({ who, status: res.status }).toEqual({ who, status: 403 });
        expect(res.body.error.name).toBe('NotAllowedError');
      }
      // An admin may run it (LiteLLM is up): the 403 was about who asked.
      const admin = await call('post', path, ALICE, body);
      expect(admin.status).toBe(200);
    },
  );
});
