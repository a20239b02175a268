import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations } from './migrations';
import { CreatePendingKeyInput, KeyStore, litellmAliasFor } from './KeyStore';

jest.setTimeout(60_000);

const alice = 'user:default/alice';
const team = 'group:default/payments';
const service = 'component:default/checkout';
// Built at run time so no secret-looking literal sits in the sources.
const fakeSecret = () => `sk-${'x1_Y-'.repeat(6)}`;

const input: CreatePendingKeyInput = {
  ownerRef: alice,
  createdBy: alice,
  name: 'chatbot',
  models: ['openai/gpt-4o', 'vllm/llama:8b'],
};

describe('KeyStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    return { knex, store: new KeyStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'creates a pending key with its models, then activates it, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const pending = await store.createPending({
        ...input,
        models: ['vllm/llama:8b', 'openai/gpt-4o', 'vllm/llama:8b'],
        maxBudget: 12.5,
        budgetDuration: '30d',
        tpmLimit: 1000,
        rpmLimit: 10,
        expiresAt: '2027-01-01T00:00:00Z',
        metadata: { team: 'payments' },
      });
      expect(pending).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ownerRef: alice,
        teamRef: null,
        createdBy: alice,
        name: 'chatbot',
        litellmKeyHash: null,
        litellmAlias: `chatbot_${pending.id.replace(/-/g, '').slice(0, 8)}`,
        displayName: null,
        models: ['openai/gpt-4o', 'vllm/llama:8b'],
        maxBudget: 12.5,
        budgetDuration: '30d',
        tpmLimit: 1000,
        rpmLimit: 10,
        expiresAt: '2027-01-01T00:00:00.000Z',
        metadata: { team: 'payments' },
        status: 'pending',
        blockedByAdmin: false,
        rotatedFromKeyId: null,
        graceExpiresAt: null,
        revokedAt: null,
        createdAt: expect.any(String),
        updatedAt: pending.createdAt,
      });
      expect(await store.get(pending.id)).toEqual(pending);
      expect(await store.getByAlias(pending.litellmAlias)).toEqual(pending);

      const active = await store.activate(pending.id, {
        keyHash: 'hash-1',
        displayName: 'sk-...abcd',
      });
      expect(active).toMatchObject({
        status: 'active',
        litellmKeyHash: 'hash-1',
        displayName: 'sk-...abcd',
      });
      expect(await store.getByHash('hash-1')).toEqual(active);
      expect(await store.getByHash('hash-2')).toBeUndefined();
      await expect(
        store.activate(pending.id, { keyHash: 'h', displayName: 'sk-...wxyz' }),
      ).rejects.toThrow(ConflictError);
      await expect(store.markFailed(pending.id)).rejects.toThrow(ConflictError);
      await expect(store.markFailed('missing')).rejects.toThrow(NotFoundError);

      expect(
        await knex('litemaas_key_models').where({ key_id: pending.id }),
      ).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves a key pending when its activated row cannot be read back (the write and the read are one), on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const pending = await store.createPending(input);
      // The read of the key's models fails after the activating update has run, as when
      // the database goes away between the two.
      await knex.schema.renameTable('litemaas_key_models', 'models_away');
      await expect(
        store.activate(pending.id, { keyHash: 'h', displayName: 'sk-...abcd' }),
      ).rejects.toThrow(/models_away|litemaas_key_models/);
      await knex.schema.renameTable('models_away', 'litemaas_key_models');
      expect(await store.get(pending.id)).toMatchObject({
        status: 'pending',
        litellmKeyHash: null,
      });
      // So the caller's compensation can settle it.
      expect(await store.markFailed(pending.id)).toMatchObject({
        status: 'failed',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses empty model lists and anything that looks like a secret, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await expect(
        store.createPending({ ...input, models: [] }),
      ).rejects.toThrow(InputError);
      await expect(
        store.createPending({ ...input, name: `leak ${fakeSecret()}` }),
      ).rejects.toThrow('name must not contain an API key secret');
      await expect(
        store.createPending({ ...input, metadata: { note: fakeSecret() } }),
      ).rejects.toThrow('metadata must not contain an API key secret');
      expect(await knex('litemaas_keys')).toEqual([]);
      expect(await knex('litemaas_key_models')).toEqual([]);

      const key = await store.createPending(input);
      await expect(
        store.activate(key.id, { keyHash: 'h', displayName: fakeSecret() }),
      ).rejects.toThrow(InputError);
      await store.activate(key.id, { keyHash: 'h', displayName: 'sk-...abcd' });
      await expect(store.update(key.id, { models: [] })).rejects.toThrow(
        InputError,
      );
      await expect(
        store.update(key.id, { metadata: { [fakeSecret()]: 'v' } }),
      ).rejects.toThrow(InputError);
      expect((await store.get(key.id))?.models).toEqual(input.models);
    },
  );

  it.each(databases.eachSupportedId())(
    'updates limits, name and models in one go, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const key = await store.createPending({
        ...input,
        tpmLimit: 5,
        maxBudget: 3,
      });
      await expect(store.update(key.id, { name: 'x' })).rejects.toThrow(
        /is pending/,
      );
      await store.activate(key.id, { keyHash: 'h', displayName: 'sk-...abcd' });

      const updated = await store.update(key.id, {
        name: 'renamed',
        models: ['m3'],
        tpmLimit: null,
        rpmLimit: 7,
        expiresAt: new Date('2027-05-01T00:00:00Z'),
        metadata: {},
      });
      expect(updated).toMatchObject({
        name: 'renamed',
        models: ['m3'],
        tpmLimit: null,
        rpmLimit: 7,
        maxBudget: 3,
        expiresAt: '2027-05-01T00:00:00.000Z',
        metadata: {},
        status: 'active',
      });
      expect(await store.get(key.id)).toEqual(updated);
      await expect(store.update('missing', { name: 'x' })).rejects.toThrow(
        NotFoundError,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'follows the status rules, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const key = await store.createPending(input);
      await expect(store.setStatus(key.id, 'active')).rejects.toThrow(
        ConflictError,
      );
      await store.activate(key.id, { keyHash: 'h', displayName: 'sk-...abcd' });

      expect(
        await store.setStatus(key.id, 'blocked', { blockedByAdmin: true }),
      ).toMatchObject({ status: 'blocked', blockedByAdmin: true });
      expect(await store.setStatus(key.id, 'active')).toMatchObject({
        status: 'active',
        blockedByAdmin: false,
      });
      const revoked = await store.setStatus(key.id, 'revoked');
      expect(revoked).toMatchObject({
        status: 'revoked',
        revokedAt: expect.any(String),
      });
      await expect(store.setStatus(key.id, 'active')).rejects.toThrow(
        /is revoked/,
      );
      await expect(store.update(key.id, { name: 'x' })).rejects.toThrow(
        ConflictError,
      );
      await expect(store.setStatus('missing', 'revoked')).rejects.toThrow(
        NotFoundError,
      );

      const failed = await store.markFailed(
        (
          await store.createPending(input)
        ).id,
      );
      expect(failed.status).toBe('failed');
      await expect(store.setStatus(failed.id, 'active')).rejects.toThrow(
        /is failed/,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'lists and counts keys by owner and by model, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const mine = await store.createPending(input);
      const teamKey = await store.createPending({
        ...input,
        ownerRef: team,
        models: ['m2'],
      });
      const serviceKey = await store.createPending({
        ...input,
        ownerRef: service,
      });
      await store.activate(mine.id, {
        keyHash: 'h1',
        displayName: 'sk-...0001',
      });
      await store.activate(serviceKey.id, {
        keyHash: 'h2',
        displayName: 'sk-...0002',
      });
      await store.setStatus(serviceKey.id, 'revoked');

      const listed = await store.listForOwners([alice, team]);
      expect(listed.map(k => k.id).sort()).toEqual(
        [mine.id, teamKey.id].sort(),
      );
      expect(listed.find(k => k.id === teamKey.id)?.models).toEqual(['m2']);
      expect(
        (
          await store.listForOwners([alice, team, service], {
            statuses: ['active'],
          })
        ).map(k => k.id),
      ).toEqual([mine.id]);
      expect(await store.listForOwners([])).toEqual([]);

      expect((await store.listByModel('openai/gpt-4o')).map(k => k.id)).toEqual(
        [mine.id],
      );
      // A limit sees the keys each owner holds, and a refusal writes nothing.
      const held: Record<string, number> = {};
      for (const ownerRef of [alice, service, team]) {
        await expect(
          store.createPending(
            { ...input, ownerRef },
            {
              check: count => {
                held[ownerRef] = count;
                throw new ConflictError('no room');
              },
            },
          ),
        ).rejects.toThrow('no room');
      }
      expect(held).toEqual({ [alice]: 1, [service]: 0, [team]: 1 });
      expect(await store.listForOwners([alice, team, service])).toHaveLength(
        listed.length + 1,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'finds stale pending keys and ended grace periods, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const old = await store.createPending(input);
      const oldCreated = new Date(old.createdAt);
      expect(await store.listPendingOlderThan(oldCreated)).toEqual([]);
      expect(
        await store.listPendingOlderThan(new Date(oldCreated.getTime() + 1)),
      ).toEqual([old]);

      await store.activate(old.id, {
        keyHash: 'h1',
        displayName: 'sk-...0001',
      });
      const rotated = await store.createPending({
        ...input,
        rotatedFromKeyId: old.id,
      });
      expect(rotated.rotatedFromKeyId).toBe(old.id);
      const until = new Date('2026-03-01T00:00:00Z');
      expect(await store.setGraceExpiry(old.id, until)).toMatchObject({
        graceExpiresAt: until.toISOString(),
      });
      expect(
        await store.listGraceExpired(new Date(until.getTime() - 1)),
      ).toEqual([]);
      expect((await store.listGraceExpired(until)).map(k => k.id)).toEqual([
        old.id,
      ]);
      await store.setStatus(old.id, 'revoked');
      expect(await store.listGraceExpired(until)).toEqual([]);
    },
  );
});

describe('litellmAliasFor', () => {
  it.each([
    ['Chat Bot (prod)', 'chat-bot-prod'],
    ['  ---  ', 'key'],
    ['Ünïcode ✨ name', 'n-code-name'],
    ['x'.repeat(80), 'x'.repeat(48)],
  ])('sanitizes %p', (name, prefix) => {
    expect(litellmAliasFor(name, 'abcdef12-3456-7890-abcd-ef1234567890')).toBe(
      `${prefix}_abcdef12`,
    );
  });
});
