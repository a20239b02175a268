import { NotFoundError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations } from './migrations';
import { UserStore } from './UserStore';

jest.setTimeout(60_000);

const alice = 'user:default/alice';

describe('UserStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    return { knex, store: new UserStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'creates a user once, even under 10 concurrent calls, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.getOrCreate(alice, { litellmUserId: alice, maxKeys: i + 1 }),
        ),
      );
      expect(results.filter(r => r.created)).toHaveLength(1);
      expect(await knex('litemaas_users').pluck('entity_ref')).toEqual([alice]);
      const winner = results.find(r => r.created)!.user;
      for (const result of results) {
        expect(result.user).toEqual(winner);
      }
      expect(winner).toEqual({
        entityRef: alice,
        litellmUserId: alice,
        maxBudget: null,
        budgetDuration: null,
        tpmLimit: null,
        rpmLimit: null,
        maxKeys: expect.any(Number),
        createdAt: expect.any(String),
        updatedAt: winner.createdAt,
      });

      // Defaults never overwrite an existing row.
      expect(
        await store.getOrCreate(alice, { maxKeys: 99, maxBudget: 1 }),
      ).toEqual({ user: winner, created: false });
    },
  );

  it.each(databases.eachSupportedId())(
    'updates and clears overrides, and lists users, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.getOrCreate('user:default/bob');
      await store.getOrCreate(alice, { tpmLimit: 100 });

      const updated = await store.update(alice, {
        maxBudget: 25.5,
        budgetDuration: '30d',
        rpmLimit: 60,
      });
      expect(updated).toMatchObject({
        maxBudget: 25.5,
        budgetDuration: '30d',
        tpmLimit: 100,
        rpmLimit: 60,
        maxKeys: null,
      });
      expect(await store.get(alice)).toEqual(updated);
      expect(await store.update(alice, { tpmLimit: null })).toMatchObject({
        tpmLimit: null,
        rpmLimit: 60,
      });
      await expect(
        store.update('user:default/nobody', { maxKeys: 1 }),
      ).rejects.toThrow(NotFoundError);
      expect(await store.get('user:default/nobody')).toBeUndefined();

      expect(
        (await store.list({ limit: 10, offset: 0 })).map(u => u.entityRef),
      ).toEqual([alice, 'user:default/bob']);
      expect(
        (await store.list({ limit: 1, offset: 1 })).map(u => u.entityRef),
      ).toEqual(['user:default/bob']);
    },
  );
});
