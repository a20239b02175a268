import { chatStatus } from '../../testUtils';
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

describe('item 6: admin unblock re-checks subscriptions', () => {
  const backends = securityBackendPerTest();
  const { databases } = backends;

  it.each(databases.eachSupportedId())(
    'item 6: a key blocked for losing its last model stays blocked on unblock; others come back narrowed, on %p',
    async databaseId => {
      const b = await backends.start(databaseId);
      const [miniSubscription] = await subscribeVia(b, BOB, [MINI, LLAMA]);
      const create = async (name: string, models: string[]) => {
        const res = await backends.current.call('post', '/keys', BOB, {
          name,
          models,
        });
        expect(res.status).toBe(201);
        return res.body;
      };
      const lastModel = await create('only mini', [MINI]);
      const adminBlocked = await create('blocked by an admin', [MINI]);
      const both = await create('both', [MINI, LLAMA]);
      for (const key of [adminBlocked, both]) {
        expect(
          (
            await b.call('post', `/admin/keys/${key.id}/block`, ALICE, {
              reason: 'review',
            })
          ).status,
        ).toBe(200);
      }
      expect(
        (await b.call('delete', `/subscriptions/${miniSubscription}`, BOB))
          .status,
      ).toBe(200);
      expect(await dbKey(b, lastModel.id)).toMatchObject({
        status: 'blocked',
        models: [MINI],
      });

      for (const key of [lastModel, adminBlocked]) {
        const res = await b.call(
          'post',
          `/admin/keys/${key.id}/unblock`,
          ALICE,
          {},
        );
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(
          /no model its owner may still use.*stays blocked/,
        );
        expect((await dbKey(b, key.id)).status).toBe('blocked');
        expect(litellmKey(b, key.litellmKeyHash)!.blocked).toBe(true);
        expect(await chatStatus(b, key.secret, MINI)).toBe(401);
      }

      // A key that keeps a model it may use comes back with that model only.
      const unblocked = await b.call(
        'post',
        `/admin/keys/${both.id}/unblock`,
        ALICE,
        {},
      );
      expect(unblocked.status).toBe(200);
      expect(unblocked.body).toMatchObject({
        status: 'active',
        models: [LLAMA],
      });
      expect(litellmKey(b, both.litellmKeyHash)).toMatchObject({
        blocked: false,
        models: [LLAMA],
      });
      expect(await chatStatus(b, both.secret, MINI)).toBe(403);
      expect(await chatStatus(b, both.secret, LLAMA)).toBe(200);
    },
  );

  it.each(databases.eachSupportedId())(
    'item 6: unblock narrows a key whose grant ended without the key being told, on %p',
    async databaseId => {
      const b = await backends.start(databaseId);
      await subscribeVia(b, BOB, [MINI, LLAMA]);
      const key = (
        await b.call('post', '/keys', BOB, {
          name: 'k',
          models: [MINI, LLAMA],
        })
      ).body;
      await b.call('post', `/admin/keys/${key.id}/block`, ALICE, {});
      await b
        .knex('litemaas_subscriptions')
        .where({ subject_ref: BOB, model_id: MINI })
        .update({ status: 'denied' });
      const res = await b.call(
        'post',
        `/admin/keys/${key.id}/unblock`,
        ALICE,
        {},
      );
      expect(res.status).toBe(200);
      expect(res.body.models).toEqual([LLAMA]);
      expect(litellmKey(b, key.litellmKeyHash)!.models).toEqual([LLAMA]);
      expect((await dbKey(b, key.id)).models).toEqual([LLAMA]);
    },
  );
});
