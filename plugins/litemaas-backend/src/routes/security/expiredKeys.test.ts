import {
  ALICE,
  BOB,
  dbKey,
  litellmKey,
  LLAMA,
  MINI,
  securityBackendPerTest,
  subscribeVia,
} from '../__testUtils__/securityBackend';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const inDays = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString();

describe('item 2: an expired key is still a key', () => {
  const backends = securityBackendPerTest();
  const { databases } = backends;

  async function createKey(name: string, models: string[]) {
    const res = await backends.current.call('post', '/keys', BOB, {
      name,
      models,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; litellmKeyHash: string; secret: string };
  }

  /** Lets a key's expiry pass and the reconciliation job mark it expired. */
  async function expire(id: string) {
    await backends.current
      .knex('litemaas_keys')
      .where({ id })
      .update({ expires_at: new Date(Date.now() - 60_000) });
    const job = await backends.current.call(
      'post',
      '/admin/keys/reconcile',
      ALICE,
      {},
    );
    expect(job.status).toBe(200);
    expect((await dbKey(backends.current, id)).status).toBe('expired');
  }

  it.each(databases.eachSupportedId())(
    'item 2: removing a model narrows or blocks expired keys, and PATCH cannot bring a withdrawn model back, on %p',
    async databaseId => {
      const b = await backends.start(databaseId);
      const [miniSubscription] = await subscribeVia(b, BOB, [MINI, LLAMA]);
      const two = await createKey('two models', [MINI, LLAMA]);
      const one = await createKey('one model', [MINI]);
      await expire(two.id);
      await expire(one.id);

      expect(
        (await b.call('delete', `/subscriptions/${miniSubscription}`, BOB))
          .status,
      ).toBe(200);
      // LiteLLM still holds expired keys: they lose the model like any other.
      expect(litellmKey(b, two.litellmKeyHash)!.models).toEqual([LLAMA]);
      expect((await dbKey(b, two.id)).models).toEqual([LLAMA]);
      expect(litellmKey(b, one.litellmKeyHash)).toMatchObject({
        blocked: true,
        models: [MINI],
      });
      expect(await dbKey(b, one.id)).toMatchObject({ status: 'blocked' });

      // A new expiry brings the narrowed key back with what it may still use...
      const revived = await b.call('patch', `/keys/${two.id}`, BOB, {
        expiresAt: inDays(10),
      });
      expect(revived.status).toBe(200);
      expect(revived.body).toMatchObject({ status: 'active', models: [LLAMA] });
      expect(litellmKey(b, two.litellmKeyHash)!.models).toEqual([LLAMA]);
      // ...but never the key whose only model was withdrawn.
      const refused = await b.call('patch', `/keys/${one.id}`, BOB, {
        expiresAt: inDays(10),
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/gpt-4o-mini/);
      expect(await dbKey(b, one.id)).toMatchObject({ status: 'blocked' });
      expect(litellmKey(b, one.litellmKeyHash)!.blocked).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'item 2: PATCH re-checks every model of the key whatever it changes, on %p',
    async databaseId => {
      const b = await backends.start(databaseId);
      await subscribeVia(b, BOB, [MINI, LLAMA]);
      const key = await createKey('k', [MINI, LLAMA]);
      await expire(key.id);
      // The grant ends without the keys being told (e.g. LiteLLM was down then).
      await b
        .knex('litemaas_subscriptions')
        .where({ subject_ref: BOB, model_id: MINI })
        .update({ status: 'cancelled' });
      for (const patch of [
        { name: 'renamed' },
        { expiresAt: inDays(5) },
        { tpmLimit: 100 },
      ]) {
        const res = await b.call('patch', `/keys/${key.id}`, BOB, patch);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(
          /no active subscription to: gpt-4o-mini/,
        );
      }
      expect(await dbKey(b, key.id)).toMatchObject({
        status: 'expired',
        name: 'k',
      });
      // Dropping the withdrawn model is allowed, and brings it back.
      const fixed = await b.call('patch', `/keys/${key.id}`, BOB, {
        models: [LLAMA],
        expiresAt: inDays(5),
      });
      expect(fixed.status).toBe(200);
      expect(fixed.body).toMatchObject({ status: 'active', models: [LLAMA] });
    },
  );

  it.each(databases.eachSupportedId())(
    'item 2: the maximum lifetime counts from creation, so pushing expiresAt out again cannot exceed it, on %p',
    async databaseId => {
      const b = await backends.start(databaseId, {
        config: { keys: { maximums: { expiresInDays: 30 } } },
      });
      await subscribeVia(b, BOB, [MINI]);
      const key = await createKey('k', [MINI]);
      // Twenty days later...
      await b
        .knex('litemaas_keys')
        .where({ id: key.id })
        .update({ created_at: new Date(Date.now() - 20 * DAY) });
      const tooFar = await b.call('patch', `/keys/${key.id}`, BOB, {
        expiresAt: inDays(29),
      });
      expect(tooFar.status).toBe(400);
      expect(tooFar.body.error.message).toMatch(/30 days/);
      const withinLifetime = await b.call('patch', `/keys/${key.id}`, BOB, {
        expiresAt: inDays(9),
      });
      expect(withinLifetime.status).toBe(200);
    },
  );

  it.each(databases.eachSupportedId())(
    'item 2: admins can block an expired key, and expired keys count toward the key limit until deleted, on %p',
    async databaseId => {
      const b = await backends.start(databaseId, {
        config: { keys: { maximums: { keysPerOwner: 2 } } },
      });
      await subscribeVia(b, BOB, [MINI]);
      const first = await createKey('first', [MINI]);
      await createKey('second', [MINI]);
      await expire(first.id);

      const third = await b.call('post', '/keys', BOB, {
        name: 'third',
        models: [MINI],
      });
      expect(third.status).toBe(409);
      expect(third.body.error.message).toMatch(/maximum is 2/);

      const blocked = await b.call(
        'post',
        `/admin/keys/${first.id}/block`,
        ALICE,
        { reason: 'leaked' },
      );
      expect(blocked.status).toBe(200);
      expect(blocked.body).toMatchObject({
        status: 'blocked',
        blockedByAdmin: true,
      });
      expect(litellmKey(b, first.litellmKeyHash)!.blocked).toBe(true);

      expect((await b.call('delete', `/keys/${first.id}`, BOB)).status).toBe(
        200,
      );
      expect(litellmKey(b, first.litellmKeyHash)).toBeUndefined();
      expect(
        (
          await b.call('post', '/keys', BOB, {
            name: 'third',
            models: [MINI],
          })
        ).status,
      ).toBe(201);
    },
  );
});
