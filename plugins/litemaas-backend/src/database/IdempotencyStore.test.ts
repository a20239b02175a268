import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../testUtils';
import { IdempotencyStore } from './IdempotencyStore';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(60_000);

const bob = 'user:default/bob';
const HOUR = 3_600_000;

describe('IdempotencyStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    return { knex, store: new IdempotencyStore(knex) };
  }

  const at = (ms: number) => new Date(Date.UTC(2026, 10, 30) + ms);
  const claim = (store: IdempotencyStore, now: Date, requestHash = 'h1') =>
    store.claim({
      callerRef: bob,
      key: 'k',
      requestHash,
      now,
      forgetBefore: new Date(now.getTime() - 24 * HOUR),
      staleBefore: new Date(now.getTime() - HOUR / 12),
    });

  it.each(databases.eachSupportedId())(
    'lets one of 8 concurrent claims run, replays it once done, and forgets it after a day, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const claims = await Promise.all(
        Array.from({ length: 8 }, () => claim(store, at(0))),
      );
      expect(claims.map(c => c.state).sort()).toEqual([
        ...Array(7).fill('in-progress'),
        'new',
      ]);
      await store.complete({ callerRef: bob, key: 'k', keyId: 'key-1' });
      expect(await claim(store, at(HOUR))).toEqual({
        state: 'done',
        keyId: 'key-1',
      });
      expect(await claim(store, at(HOUR), 'h2')).toEqual({ state: 'mismatch' });

      // The clean-up job deletes what is older than a day, and only that.
      expect(await store.purgeCreatedBefore(at(0))).toBe(0);
      expect(await store.purgeCreatedBefore(at(1))).toBe(1);
      expect(await knex('litemaas_idempotency_keys')).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'takes over a claim whose request crashed, and a released claim, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      expect((await claim(store, at(0))).state).toBe('new');
      expect((await claim(store, at(60_000))).state).toBe('in-progress');
      // Five minutes without an answer: the first request is taken as dead.
      expect((await claim(store, at(HOUR / 12 + 1))).state).toBe('new');
      await store.release(bob, 'k');
      expect((await claim(store, at(HOUR / 12 + 2))).state).toBe('new');
    },
  );
});
