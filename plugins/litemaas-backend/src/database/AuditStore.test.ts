import { mockServices } from '@backstage/backend-test-utils';
import { REDACTED_SECRET } from '@litemaas/backstage-plugin-litemaas-common';
import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations } from './migrations';
import { AuditStore } from './AuditStore';

jest.setTimeout(60_000);

const alice = 'user:default/alice';
const admin = 'user:default/admin';
// Built at run time so no secret-looking literal sits in the sources.
const fakeSecret = () => `sk-${'AbC12_-'.repeat(4)}`;

describe('AuditStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    return { knex, store: new AuditStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'appends entries and never stores a secret, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const entry = await store.append({
        actorRef: alice,
        action: 'key.create',
        targetType: 'key',
        targetId: 'k1',
        outcome: 'failure',
        reason: `LiteLLM echoed ${fakeSecret()}`,
        details: {
          models: ['m1'],
          nested: { secret: fakeSecret(), list: [`x ${fakeSecret()} y`] },
          [fakeSecret()]: 1,
        },
      });
      expect(entry).toEqual({
        id: expect.any(Number),
        occurredAt: expect.any(String),
        actorRef: alice,
        action: 'key.create',
        targetType: 'key',
        targetId: 'k1',
        outcome: 'failure',
        reason: `LiteLLM echoed ${REDACTED_SECRET}`,
        details: {
          models: ['m1'],
          nested: {
            secret: REDACTED_SECRET,
            list: [`x ${REDACTED_SECRET} y`],
          },
          [REDACTED_SECRET]: 1,
        },
      });
      expect((await store.list({ limit: 10 })).items).toEqual([entry]);
      const raw = JSON.stringify(await knex('litemaas_audit'));
      expect(raw).not.toContain(fakeSecret());
      expect(raw).toContain(REDACTED_SECRET);
    },
  );

  it.each(databases.eachSupportedId())(
    'filters, orders newest first and pages with a cursor, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const before = new Date();
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          (
            await store.append({
              actorRef: i % 2 === 0 ? alice : admin,
              action: i < 3 ? 'key.create' : 'subscription.approve',
              targetType: i < 3 ? 'key' : 'subscription',
              targetId: `t${i}`,
              outcome: i === 4 ? 'denied' : 'success',
            })
          ).id,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 5));
      const middle = new Date();
      await new Promise(resolve => setTimeout(resolve, 5));
      const late = await store.append({
        actorRef: alice,
        action: 'key.revoke',
        outcome: 'success',
      });
      const after = new Date(Date.now() + 1);
      const newestFirst = [...ids].reverse();
      const pick = async (filter: Parameters<AuditStore['list']>[0]) =>
        (await store.list(filter)).items.map(e => e.id);

      expect(await pick({ limit: 10 })).toEqual([late.id, ...newestFirst]);
      expect(await pick({ limit: 10, actorRef: admin })).toEqual([
        ids[3],
        ids[1],
      ]);
      expect(await pick({ limit: 10, action: 'key.create' })).toEqual([
        ids[2],
        ids[1],
        ids[0],
      ]);
      expect(
        await pick({ limit: 10, targetType: 'subscription', targetId: 't4' }),
      ).toEqual([ids[4]]);
      expect(await pick({ limit: 10, outcome: 'denied' })).toEqual([ids[4]]);
      expect(await pick({ limit: 10, from: middle })).toEqual([late.id]);
      expect(await pick({ limit: 10, from: before, to: middle })).toEqual(
        newestFirst,
      );
      expect(await pick({ limit: 10, from: after })).toEqual([]);

      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ limit: 2, cursor });
        seen.push(...page.items.map(e => e.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([late.id, ...newestFirst]);

      const filteredPage = await store.list({ limit: 1, actorRef: alice });
      expect(filteredPage.nextCursor).toBeDefined();
      expect(
        await pick({
          limit: 5,
          actorRef: alice,
          cursor: filteredPage.nextCursor,
        }),
      ).toEqual([ids[4], ids[2], ids[0]]);
    },
  );
});
