import { ConflictError, NotFoundError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations } from './migrations';
import { SubscriptionStore } from './SubscriptionStore';

jest.setTimeout(60_000);

const alice = 'user:default/alice';
const admin = 'user:default/admin';
const team = 'group:default/payments';

describe('SubscriptionStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    return { knex, store: new SubscriptionStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'creates once and then returns the existing row, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const first = await store.createOrGet({
        subjectRef: alice,
        modelId: 'openai/gpt-4o',
        status: 'pending',
        justification: 'Need it for the chatbot',
        createdBy: alice,
      });
      expect(first.created).toBe(true);
      expect(first.subscription).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        subjectRef: alice,
        modelId: 'openai/gpt-4o',
        status: 'pending',
        justification: 'Need it for the chatbot',
        reason: null,
        decidedBy: null,
        decidedAt: null,
        expiresAt: null,
        createdBy: alice,
        createdAt: expect.any(String),
        updatedAt: first.subscription.createdAt,
      });

      const second = await store.createOrGet({
        subjectRef: alice,
        modelId: 'openai/gpt-4o',
        status: 'active',
        createdBy: alice,
      });
      expect(second).toEqual({
        subscription: first.subscription,
        created: false,
      });
      expect(await store.get(first.subscription.id)).toEqual(
        first.subscription,
      );
      expect(await store.get('not-a-uuid')).toBeUndefined();
      expect(await store.listHistory(first.subscription.id)).toEqual([
        {
          id: expect.any(Number),
          subscriptionId: first.subscription.id,
          fromStatus: null,
          toStatus: 'pending',
          actorRef: alice,
          reason: null,
          createdAt: first.subscription.createdAt,
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'never makes two rows under 10 concurrent creates, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store.createOrGet({
            subjectRef: alice,
            modelId: 'vllm/llama:8b',
            status: 'active',
            createdBy: alice,
          }),
        ),
      );
      expect(results.filter(r => r.created)).toHaveLength(1);
      expect(new Set(results.map(r => r.subscription.id)).size).toBe(1);
      expect(await knex('litemaas_subscriptions').pluck('id')).toEqual([
        results[0].subscription.id,
      ]);
      expect(await store.listHistory(results[0].subscription.id)).toHaveLength(
        1,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'stress: 100 rounds of 5 concurrent creates make exactly one row per subject and model, on %p',
    async databaseId => {
      // The duplicate subscription once seen under load on SQLite: one round is not
      // enough to meet a race, a hundred on one database (no cleanup between) are.
      const { knex, store } = await createStore(databaseId);
      for (let round = 0; round < 100; round++) {
        const modelId = `stress/model-${round}`;
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.createOrGet({
              subjectRef: i % 2 ? team : alice,
              modelId,
              status: 'active',
              createdBy: alice,
            }),
          ),
        );
        expect({
          round,
          created: results.filter(r => r.created).length,
        }).toEqual({ round, created: 2 });
      }
      const counts = await knex('litemaas_subscriptions')
        .select('subject_ref', 'model_id')
        .count({ n: '*' })
        .groupBy('subject_ref', 'model_id')
        .havingRaw('count(*) > 1');
      expect(counts).toEqual([]);
      expect(
        Number((await knex('litemaas_subscriptions').count({ n: '*' }))[0].n),
      ).toBe(200);
      expect(
        Number(
          (await knex('litemaas_subscription_history').count({ n: '*' }))[0].n,
        ),
      ).toBe(200);
    },
  );

  it.each(databases.eachSupportedId())(
    'approves, denies and reopens with history and decision fields, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const { subscription } = await store.createOrGet({
        subjectRef: team,
        modelId: 'm',
        status: 'pending',
        justification: 'first ask',
        createdBy: alice,
      });

      const denied = await store.transition(subscription.id, {
        to: 'denied',
        actorRef: admin,
        reason: 'Use the open model',
      });
      expect(denied).toMatchObject({
        status: 'denied',
        reason: 'Use the open model',
        decidedBy: admin,
        decidedAt: expect.any(String),
      });
      expect(await store.get(subscription.id)).toEqual(denied);

      // A denial is never turned into access directly.
      await expect(
        store.transition(subscription.id, { to: 'active', actorRef: admin }),
      ).rejects.toThrow(ConflictError);

      const asked = await store.transition(subscription.id, {
        to: 'pending',
        actorRef: alice,
        justification: 'second ask, with details',
      });
      expect(asked).toMatchObject({
        status: 'pending',
        justification: 'second ask, with details',
        reason: null,
        decidedBy: null,
        decidedAt: null,
      });

      const approved = await store.transition(subscription.id, {
        to: 'active',
        actorRef: admin,
        reason: 'ok for Q3',
        expiresAt: '2026-09-30T00:00:00Z',
      });
      expect(approved).toMatchObject({
        status: 'active',
        decidedBy: admin,
        reason: 'ok for Q3',
        expiresAt: '2026-09-30T00:00:00.000Z',
      });
      expect(await store.get(subscription.id)).toEqual(approved);

      const history = await store.listHistory(subscription.id);
      expect(
        history.map(h => [h.fromStatus, h.toStatus, h.actorRef, h.reason]),
      ).toEqual([
        [null, 'pending', alice, null],
        ['pending', 'denied', admin, 'Use the open model'],
        ['denied', 'pending', alice, null],
        ['pending', 'active', admin, 'ok for Q3'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses transitions outside the rules and unknown ids, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const { subscription } = await store.createOrGet({
        subjectRef: alice,
        modelId: 'm',
        status: 'active',
        createdBy: alice,
      });
      await expect(
        store.transition(subscription.id, { to: 'active', actorRef: admin }),
      ).rejects.toThrow(/cannot go from active to active/);
      await store.transition(subscription.id, {
        to: 'cancelled',
        actorRef: alice,
      });
      await expect(
        store.transition(subscription.id, { to: 'denied', actorRef: admin }),
      ).rejects.toThrow(ConflictError);
      await expect(
        store.transition(subscription.id, { to: 'expired', actorRef: admin }),
      ).rejects.toThrow(ConflictError);
      // Re-subscribing reopens the same row.
      expect(
        await store.transition(subscription.id, {
          to: 'active',
          actorRef: alice,
        }),
      ).toMatchObject({ id: subscription.id, status: 'active' });
      expect(await store.listHistory(subscription.id)).toHaveLength(3);

      await expect(
        store.transition('missing', { to: 'active', actorRef: admin }),
      ).rejects.toThrow(NotFoundError);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets exactly one of five concurrent approvals win, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const { subscription } = await store.createOrGet({
        subjectRef: alice,
        modelId: 'm',
        status: 'pending',
        createdBy: alice,
      });
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () =>
          store.transition(subscription.id, { to: 'active', actorRef: admin }),
        ),
      );
      const rejected = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(rejected).toHaveLength(4);
      expect(rejected.every(r => r.reason instanceof ConflictError)).toBe(true);
      expect(await store.listHistory(subscription.id)).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists by subjects, by status with paging, and expired grants, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const make = async (subjectRef: string, modelId: string) =>
        (
          await store.createOrGet({
            subjectRef,
            modelId,
            status: 'pending',
            createdBy: alice,
          })
        ).subscription;
      const a1 = await make(alice, 'm1');
      const a2 = await make(alice, 'm2');
      const t1 = await make(team, 'm1');
      const b1 = await make('user:default/bob', 'm1');

      expect(
        (await store.listForSubjects([alice, team])).map(s => s.id).sort(),
      ).toEqual([a1.id, a2.id, t1.id].sort());
      expect(await store.listForSubjects([])).toEqual([]);

      const firstPage = await store.listByStatus('pending', {
        limit: 3,
        offset: 0,
      });
      const secondPage = await store.listByStatus('pending', {
        limit: 3,
        offset: 3,
      });
      expect(firstPage.totalCount).toBe(4);
      expect(firstPage.items).toHaveLength(3);
      expect(secondPage.items).toHaveLength(1);
      expect(
        [...firstPage.items, ...secondPage.items].map(s => s.id).sort(),
      ).toEqual([a1.id, a2.id, t1.id, b1.id].sort());

      const now = new Date('2026-06-01T12:00:00Z');
      await store.transition(a1.id, {
        to: 'active',
        actorRef: admin,
        expiresAt: new Date(now.getTime() - 1000),
      });
      await store.transition(a2.id, {
        to: 'active',
        actorRef: admin,
        expiresAt: now,
      });
      await store.transition(t1.id, {
        to: 'active',
        actorRef: admin,
        expiresAt: new Date(now.getTime() + 1000),
      });
      await store.transition(b1.id, { to: 'active', actorRef: admin });

      expect((await store.listExpired(now)).map(s => s.id)).toEqual([
        a1.id,
        a2.id,
      ]);
      expect(
        await store.listByStatus('pending', { limit: 10, offset: 0 }),
      ).toEqual({
        items: [],
        totalCount: 0,
      });
      await store.transition(a1.id, { to: 'expired', actorRef: admin });
      expect((await store.listExpired(now)).map(s => s.id)).toEqual([a2.id]);
    },
  );
});
