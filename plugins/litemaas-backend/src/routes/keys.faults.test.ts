import request from 'supertest';
import {
  chatStatus,
  createTestDatabases,
  LiteMaaSTestBackend,
  managedLiteLLMKeys,
  startLiteMaaSTestBackend,
} from '../testUtils';
import {
  eventually,
  liveKeyRows,
  SHORT_RETRY_WAITS,
  subscribe,
} from './__testUtils__/keyTestUtils';

jest.setTimeout(90_000);

const BOB = 'user:default/bob';
const ALICE = 'user:default/alice';
const MINI = 'gpt-4o-mini';
const LLAMA = 'llama3.2:3b';
/** The client gives up on one LiteLLM answer after this long. */
const TIMEOUT_MS = 1000;
/** Above the client's timeout: the client gives up first. */
const SLOW = 1500;

type Fault = {
  status?: number;
  latencyMs?: number;
  lateEffect?: boolean;
  drop?: boolean;
};
/** LiteLLM answers too late for the client, but does the call all the same. */
const LATE: Fault = { latencyMs: SLOW, lateEffect: true };
const FAULTS: Array<[string, Fault]> = [
  ['an error status (500)', { status: 500 }],
  ['a timeout (LiteLLM does the call late)', LATE],
  ['a dropped connection', { drop: true }],
];

/**
 * LiteLLM fails one call of a key operation in each way; the client gets 503, and after
 * reconciliation the live key rows and the LiteLLM keys LiteMaaS minted are the same set.
 */
describe('API keys under LiteLLM faults', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  const api = () => request(backend!.server);

  async function start(databaseId: Parameters<typeof databases.init>[0]) {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId,
      litellmTimeoutMs: TIMEOUT_MS,
      litellmRetry: SHORT_RETRY_WAITS,
    });
    await subscribe(backend.knex, BOB, [MINI, LLAMA]);
    return backend;
  }

  async function createKey(name: string) {
    return api()
      .post('/api/litemaas/keys')
      .set('Authorization', backend!.as(BOB))
      .send({ name, models: [MINI] });
  }

  async function reconcile() {
    const res = await api()
      .post('/api/litemaas/admin/keys/reconcile')
      .set('Authorization', backend!.as(ALICE))
      .send({});
    expect(res.status).toBe(200);
    return res.body;
  }

  /** DB live keys and LiteLLM's managed keys: the same hashes, no pending left. */
  async function expectConsistent(expectedCount: number) {
    const rows = await liveKeyRows(backend!);
    const litellm = managedLiteLLMKeys(backend!);
    expect({
      db: rows.length,
      litellm: litellm.length,
      pending: rows.filter(r => r.status === 'pending').length,
    }).toEqual({ db: expectedCount, litellm: expectedCount, pending: 0 });
    expect(rows.map(r => r.litellm_key_hash).sort()).toEqual(
      litellm.map(k => k.token).sort(),
    );
  }

  /** The LiteLLM keys LiteMaaS minted for this key row (found by their metadata). */
  const mintedFor = (rowId: string) =>
    managedLiteLLMKeys(backend!).filter(
      k => k.metadata?.litemaas_key_id === rowId,
    );

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it.each(FAULTS)(
      'POST /keys with /key/generate failing by %s → 503, nothing orphaned after reconciliation',
      async (_label, fault) => {
        await start(databaseId);
        await createKey('keeper'); // an unrelated live key that must survive
        backend!.emulator.injectFault({
          path: '/key/generate',
          times: 1,
          ...fault,
        });
        const res = await createKey('doomed');
        expect(res.status).toBe(503);
        expect(res.body.error.message).toMatch(/LiteLLM/);
        expect(JSON.stringify(res.body)).not.toMatch(/sk-[A-Za-z0-9_-]{20}/);
        const row = await backend!
          .knex('litemaas_keys')
          .where({ name: 'doomed' })
          .first();
        expect(row.status).toBe('failed');
        if (fault.latencyMs) {
          // LiteLLM makes the key after LiteMaaS gave up (and compensated): a late orphan,
          // with the metadata LiteMaaS itself sent.
          await eventually(
            () => mintedFor(row.id).length === 1,
            'the late key',
          );
        }
        const report = await reconcile();
        // The reconciliation finds the orphan through its metadata and deletes it.
        expect(report.orphansDeleted).toBe(fault.latencyMs ? 1 : 0);
        expect(report.errors).toBe(0);
        await expectConsistent(1);
        const deleted = [
          ...backend!.emulator.state.deletedKeys.values(),
        ].filter(k => k.metadata?.litemaas_key_id === row.id);
        expect(deleted).toHaveLength(fault.latencyMs ? 1 : 0);
      },
    );

    it('POST /keys with a definite LiteLLM refusal (400) → 400, row failed, no compensation needed', async () => {
      await start(databaseId);
      backend!.emulator.injectFault({
        path: '/key/generate',
        status: 400,
        times: 1,
      });
      const res = await createKey('refused');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/LiteLLM rejected/);
      const row = await backend!.knex('litemaas_keys').first();
      expect(row.status).toBe('failed');
      await reconcile();
      await expectConsistent(0);
    });

    it('POST /keys when generation times out and compensation fails too: left pending, settled by reconciliation', async () => {
      await start(databaseId);
      backend!.emulator.injectFault({
        path: '/key/generate',
        times: 1,
        ...LATE,
      });
      backend!.emulator.injectFault({
        path: '/key/delete',
        status: 503,
        times: 1,
      });
      const res = await createKey('stuck');
      expect(res.status).toBe(503);
      const row = await backend!.knex('litemaas_keys').first();
      expect(row.status).toBe('pending');
      await eventually(() => mintedFor(row.id).length === 1, 'the late key');
      expect(managedLiteLLMKeys(backend!)).toHaveLength(1); // the orphan exists now

      // A recent pending row is left alone (its creation may still be running)...
      let report = await reconcile();
      expect(report).toMatchObject({ pendingSettled: 0, orphansDeleted: 0 });
      expect(managedLiteLLMKeys(backend!)).toHaveLength(1);
      // ...an old one is settled: alias deleted in LiteLLM, row failed.
      await backend!
        .knex('litemaas_keys')
        .where({ id: row.id })
        .update({ created_at: new Date(Date.now() - 10 * 60_000) });
      report = await reconcile();
      expect(report).toMatchObject({ pendingSettled: 1, errors: 0 });
      expect(
        (await backend!.knex('litemaas_keys').where({ id: row.id }).first())
          .status,
      ).toBe('failed');
      await expectConsistent(0);
    });

    it('POST /keys/:id/rotate with /key/generate failing → 503, the old key stays active and working', async () => {
      await start(databaseId);
      const key = (await createKey('rotate-me')).body;
      backend!.emulator.injectFault({
        path: '/key/generate',
        status: 502,
        times: 1,
      });
      const res = await api()
        .post(`/api/litemaas/keys/${key.id}/rotate`)
        .set('Authorization', backend!.as(BOB))
        .send({});
      expect(res.status).toBe(503);
      expect(await chatStatus(backend!, key.secret, MINI)).toBe(200);
      const rows = await backend!.knex('litemaas_keys').select('status');
      expect(rows.map(r => r.status).sort()).toEqual(['active', 'failed']);
      await reconcile();
      await expectConsistent(1);
    });

    it('a rotation whose successor was recorded active as the database went away (its LiteLLM key then deleted): one reconciliation releases the old key, which rotates again', async () => {
      await start(databaseId);
      const old = (await createKey('rotate-me')).body;
      const successor = (await createKey('successor')).body;
      // What PostgreSQL restarting mid-rotation can leave (routes/faults.test.ts): the
      // successor's activation committed, the request never learned it, deleted the
      // successor's LiteLLM key and could not give the old key's claim back.
      const deleted = await fetch(`${backend!.emulator.url}/key/delete`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${backend!.emulator.masterKey}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ keys: [successor.litellmKeyHash] }),
      });
      expect(deleted.status).toBe(200);
      const longAgo = new Date(Date.now() - 10 * 60_000);
      await backend!
        .knex('litemaas_keys')
        .where({ id: old.id })
        .update({ rotated_at: longAgo, updated_at: longAgo });
      await backend!
        .knex('litemaas_keys')
        .where({ id: successor.id })
        .update({ rotated_from_key_id: old.id, updated_at: longAgo });
      const blocked = await api()
        .post(`/api/litemaas/keys/${old.id}/rotate`)
        .set('Authorization', backend!.as(BOB))
        .send({});
      expect(blocked.status).toBe(409);

      const report = await reconcile();
      expect(report).toMatchObject({
        missingMarked: 1,
        rotationsReleased: 1,
        errors: 0,
      });
      const rotated = await api()
        .post(`/api/litemaas/keys/${old.id}/rotate`)
        .set('Authorization', backend!.as(BOB))
        .send({});
      expect(rotated.status).toBe(201);
      expect(await chatStatus(backend!, rotated.body.secret, MINI)).toBe(200);
      expect(await chatStatus(backend!, old.secret, MINI)).toBe(401);
      await expectConsistent(1);
    });

    it.each(FAULTS)(
      'DELETE /keys/:id with /key/delete failing by %s → 503, never fail-open, consistent after reconciliation',
      async (_label, fault) => {
        await start(databaseId);
        const key = (await createKey('revoke-me')).body;
        backend!.emulator.injectFault({
          path: '/key/delete',
          times: 1,
          ...fault,
        });
        const res = await api()
          .delete(`/api/litemaas/keys/${key.id}`)
          .set('Authorization', backend!.as(BOB));
        expect(res.status).toBe(503);
        const row = await backend!
          .knex('litemaas_keys')
          .where({ id: key.id })
          .first();
        expect(row.status).toBe('active'); // not marked revoked while it may still work
        if (fault.latencyMs) {
          await eventually(
            () => !backend!.emulator.state.keys.has(key.litellmKeyHash),
            'the late delete',
          );
        }
        const report = await reconcile();
        // After a timeout LiteLLM may have deleted it anyway: then the row follows.
        const lateDeleted = Boolean(fault.latencyMs);
        expect(report.missingMarked).toBe(lateDeleted ? 1 : 0);
        await expectConsistent(lateDeleted ? 0 : 1);
        expect(await chatStatus(backend!, key.secret, MINI)).toBe(
          lateDeleted ? 401 : 200,
        );
        // Once LiteLLM is back, the revocation goes through (or already has).
        const retry = await api()
          .delete(`/api/litemaas/keys/${key.id}`)
          .set('Authorization', backend!.as(BOB));
        expect(retry.status).toBe(200);
        expect(retry.body.status).toBe('revoked');
        await expectConsistent(0);
      },
    );

    it.each(FAULTS)(
      'PATCH /keys/:id with /key/update failing by %s → 503, LiteLLM back to the database after reconciliation',
      async (_label, fault) => {
        await start(databaseId);
        const key = (await createKey('patch-me')).body;
        backend!.emulator.injectFault({
          path: '/key/update',
          times: 1,
          ...fault,
        });
        const res = await api()
          .patch(`/api/litemaas/keys/${key.id}`)
          .set('Authorization', backend!.as(BOB))
          .send({ models: [MINI, LLAMA] });
        expect(res.status).toBe(503);
        const row = await api()
          .get(`/api/litemaas/keys/${key.id}`)
          .set('Authorization', backend!.as(BOB));
        expect(row.body.models).toEqual([MINI]);
        if (fault.latencyMs) {
          await eventually(
            () =>
              backend!.emulator.state.keys.get(key.litellmKeyHash)?.models
                .length === 2,
            'the late update',
          );
        }
        const report = await reconcile();
        expect(report.driftFixed).toBe(fault.latencyMs ? 1 : 0);
        await expectConsistent(1);
        expect(
          backend!.emulator.state.keys.get(key.litellmKeyHash)?.models,
        ).toEqual([MINI]);
        expect(await chatStatus(backend!, key.secret, LLAMA)).toBe(403);
      },
    );
  });
});
