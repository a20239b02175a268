import { managedLiteLLMKeys } from '../../testUtils';
import { sleep } from '../__testUtils__/keyTestUtils';
import {
  BOB,
  dbKey,
  LLAMA,
  MINI,
  securityBackendPerTest,
  subscribeVia,
} from '../__testUtils__/securityBackend';

jest.setTimeout(120_000);

const PARALLEL = 8;

describe('item 5: withdrawal races creation', () => {
  const backends = securityBackendPerTest();
  const { databases } = backends;

  it.each(databases.eachSupportedId())(
    `item 5: a grant cancelled while ${PARALLEL} keys are being created reaches none of them, in LiteLLM or the database, on %p`,
    async databaseId => {
      const b = await backends.start(databaseId);
      const [miniSubscription] = await subscribeVia(b, BOB, [MINI, LLAMA]);

      // LiteLLM answers key creations slowly, so the cancel lands while they are in flight.
      b.emulator.injectFault({
        path: '/key/generate',
        latencyMs: 1500,
        times: PARALLEL,
      });
      const creates = Array.from({ length: PARALLEL }, (_, i) =>
        backends.current.call('post', '/keys', BOB, {
          name: `racing ${i}`,
          models: i % 2 === 0 ? [MINI, LLAMA] : [MINI],
        }),
      );
      const settled = Promise.all(creates.map(c => c.then(res => res)));
      // Every creation has passed its subscription check and written its pending row.
      for (let i = 0; i < 200; i++) {
        const pending = await b
          .knex('litemaas_keys')
          .where({ status: 'pending' });
        if (pending.length === PARALLEL) break;
        await sleep(25);
      }
      expect(
        await b.knex('litemaas_keys').where({ status: 'pending' }),
      ).toHaveLength(PARALLEL);

      const cancelled = await b.call(
        'delete',
        `/subscriptions/${miniSubscription}`,
        BOB,
      );
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      const answers = await settled;

      // What the callers were told: a two-model key comes without the withdrawn model;
      // a key that had only that model is not handed out.
      const twoModels = answers.filter((_, i) => i % 2 === 0);
      const oneModel = answers.filter((_, i) => i % 2 === 1);
      expect(twoModels.map(res => res.status)).toEqual(
        twoModels.map(() => 201),
      );
      expect(twoModels.map(res => res.body.models)).toEqual(
        twoModels.map(() => [LLAMA]),
      );
      expect(oneModel.map(res => res.status)).toEqual(oneModel.map(() => 403));
      for (const res of oneModel) {
        expect(res.body.error.message).toMatch(/gpt-4o-mini/);
      }

      // LiteLLM: no key of Bob's can reach the withdrawn model.
      const litellm = managedLiteLLMKeys(b);
      for (const key of litellm) {
        expect(key.blocked === true || !key.models.includes(MINI)).toBe(true);
        expect(key.models.length).toBeGreaterThan(0);
      }
      // The database agrees with LiteLLM for every key that is not dead.
      const rows = await b
        .knex('litemaas_keys')
        .whereNotIn('status', ['failed', 'revoked']);
      expect(rows.length).toBe(PARALLEL / 2);
      for (const row of rows) {
        const key = await dbKey(b, row.id);
        expect(key.status).toBe('active');
        expect(key.models).toEqual([LLAMA]);
        const inLiteLLM = b.emulator.state.keys.get(key.litellm_key_hash)!;
        expect(inLiteLLM.models).toEqual([LLAMA]);
        expect(inLiteLLM.blocked).not.toBe(true);
      }
      // The one-model keys are gone from LiteLLM (or at least blocked there).
      const usable = litellm.filter(k => k.blocked !== true);
      expect(usable).toHaveLength(PARALLEL / 2);
    },
  );
});
