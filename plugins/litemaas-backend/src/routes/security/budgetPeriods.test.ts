import { chatStatus } from '../../testUtils';
import {
  BOB,
  dbKey,
  litellmKey,
  MINI,
  securityBackendPerTest,
  subscribeVia,
} from '../__testUtils__/securityBackend';

jest.setTimeout(120_000);

describe('item 4: budget periods are bounded', () => {
  const backends = securityBackendPerTest();
  const { databases } = backends;

  const create = (budgetDuration: string) =>
    backends.current.call('post', '/keys', BOB, {
      name: `period ${budgetDuration}`,
      models: [MINI],
      maxBudget: 5,
      budgetDuration,
    });

  it.each(databases.eachSupportedId())(
    'item 4: by default a budget period is 1d to 30d on create and update, and changing it keeps the spend, on %p',
    async databaseId => {
      const b = await backends.start(databaseId);
      await subscribeVia(b, BOB, [MINI]);

      for (const tooShort of ['1s', '30m', '23h']) {
        const res = await create(tooShort);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          /budgetDuration .* is shorter than the minimum of 1d/,
        );
      }
      for (const tooLong of ['31d', '5w', '2mo']) {
        const res = await create(tooLong);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          /budgetDuration .* is longer than the maximum of 30d/,
        );
      }
      const created = await create('7d');
      expect(created.status).toBe(201);
      expect((await create('1mo')).status).toBe(201);
      expect(
        Number((await b.knex('litemaas_keys').count({ n: '*' }))[0].n),
      ).toBe(2);

      const patch = (budgetDuration: string) =>
        backends.current.call('patch', `/keys/${created.body.id}`, BOB, {
          budgetDuration,
        });
      expect((await patch('1s')).status).toBe(400);
      expect((await patch('60d')).status).toBe(400);
      expect(litellmKey(b, created.body.litellmKeyHash)!.budget_duration).toBe(
        '7d',
      );

      // Spend some of the budget, then change the period: the spend stays.
      expect(await chatStatus(b, created.body.secret, MINI)).toBe(200);
      const spent = litellmKey(b, created.body.litellmKeyHash)!.spend;
      expect(spent).toBeGreaterThan(0);
      const changed = await patch('14d');
      expect(changed.status).toBe(200);
      const after = litellmKey(b, created.body.litellmKeyHash)!;
      expect(after.budget_duration).toBe('14d');
      expect(after.spend).toBe(spent);
      expect((await dbKey(b, created.body.id)).budget_duration).toBe('14d');
    },
  );

  it.each(databases.eachSupportedId())(
    'item 4: the minimum and maximum periods are configurable, on %p',
    async databaseId => {
      const b = await backends.start(databaseId, {
        config: {
          keys: {
            minimums: { budgetDuration: '7d' },
            maximums: { budgetDuration: '2w' },
          },
        },
      });
      await subscribeVia(b, BOB, [MINI]);
      expect((await create('1d')).status).toBe(400);
      expect((await create('15d')).status).toBe(400);
      expect((await create('7d')).status).toBe(201);
      expect((await create('14d')).status).toBe(201);
    },
  );
});
