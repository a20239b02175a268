import { NotFoundError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations } from './migrations';
import { ModelStore, ModelSyncInput } from './ModelStore';

jest.setTimeout(60_000);

const gpt: ModelSyncInput = {
  id: 'openai/gpt-4o',
  provider: 'openai',
  description: 'Flagship chat model',
  contextLength: 128000,
  inputCostPerToken: 0.0000025,
  outputCostPerToken: 0.00001,
  capabilities: ['chat', 'vision', 'function_calling'],
  mode: 'chat',
};
const llama: ModelSyncInput = {
  id: 'vllm/llama-3.1-8b:latest',
  provider: 'vllm',
  description: null,
  contextLength: null,
  capabilities: ['chat'],
  mode: 'chat',
};
const embed: ModelSyncInput = {
  id: 'text-embedding-3.small',
  provider: 'openai',
  description: 'Embeddings 100% cheap_ones',
  capabilities: ['embeddings'],
  mode: 'embedding',
};

describe('ModelStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    return { knex, store: new ModelStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'adds, updates and marks models unavailable on sync, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const t1 = new Date('2026-01-01T00:00:00.000Z');
      expect(await store.upsertMany([gpt, llama, embed], t1)).toEqual({
        added: 3,
        updated: 0,
        unavailable: 0,
      });
      expect(await store.get(gpt.id)).toEqual({
        id: 'openai/gpt-4o',
        provider: 'openai',
        description: 'Flagship chat model',
        contextLength: 128000,
        inputCostPerToken: 0.0000025,
        outputCostPerToken: 0.00001,
        capabilities: ['chat', 'vision', 'function_calling'],
        mode: 'chat',
        restricted: false,
        status: 'available',
        deprecated: false,
        replacementModelId: null,
        deprecationDate: null,
        ownerGroupRef: null,
        lastSyncedAt: t1.toISOString(),
        createdAt: t1.toISOString(),
        updatedAt: t1.toISOString(),
      });

      // Same list again: nothing changes but the sync time.
      const t2 = new Date('2026-01-02T00:00:00.000Z');
      expect(await store.upsertMany([gpt, llama, embed], t2)).toEqual({
        added: 0,
        updated: 0,
        unavailable: 0,
      });
      expect(await store.get(gpt.id)).toMatchObject({
        lastSyncedAt: t2.toISOString(),
        updatedAt: t1.toISOString(),
      });

      // gpt changes price, llama disappears.
      const t3 = new Date('2026-01-03T00:00:00.000Z');
      expect(
        await store.upsertMany(
          [{ ...gpt, inputCostPerToken: 0.000002 }, embed],
          t3,
        ),
      ).toEqual({ added: 0, updated: 1, unavailable: 1 });
      expect(await store.get(gpt.id)).toMatchObject({
        inputCostPerToken: 0.000002,
        updatedAt: t3.toISOString(),
      });
      expect(await store.get(llama.id)).toMatchObject({
        status: 'unavailable',
        lastSyncedAt: t2.toISOString(),
      });

      // A later sync without llama does not count it again; its return makes it available.
      expect(await store.upsertMany([gpt, embed], t3)).toEqual({
        added: 0,
        updated: 1,
        unavailable: 0,
      });
      expect(await store.upsertMany([gpt, llama, embed], t3)).toEqual({
        added: 0,
        updated: 1,
        unavailable: 0,
      });
      expect((await store.get(llama.id))?.status).toBe('available');

      // An empty sync never deletes anything.
      expect(await store.upsertMany([], t3)).toEqual({
        added: 0,
        updated: 0,
        unavailable: 3,
      });
      expect(await store.list()).toHaveLength(3);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps admin fields across syncs, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.upsertMany([gpt, llama]);
      await store.update(gpt.id, {
        restricted: true,
        description: 'Ask the AI team first',
        ownerGroupRef: 'group:default/ai-team',
      });
      await store.upsertMany([
        { ...gpt, description: 'New upstream description' },
        { ...llama, description: 'Now described' },
      ]);
      expect(await store.get(gpt.id)).toMatchObject({
        restricted: true,
        description: 'Ask the AI team first',
        ownerGroupRef: 'group:default/ai-team',
      });
      expect((await store.get(llama.id))?.description).toBe('Now described');
    },
  );

  it.each(databases.eachSupportedId())(
    'filters and orders the list, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.upsertMany([llama, embed, gpt]);
      await store.update(llama.id, { restricted: true });
      const ids = async (filter: Parameters<ModelStore['list']>[0]) =>
        (await store.list(filter)).map(m => m.id);

      expect(await ids({})).toEqual([
        'openai/gpt-4o',
        'text-embedding-3.small',
        'vllm/llama-3.1-8b:latest',
      ]);
      expect(await ids({ search: 'GPT' })).toEqual(['openai/gpt-4o']);
      expect(await ids({ search: 'flagship' })).toEqual(['openai/gpt-4o']);
      expect(await ids({ search: 'VLLM' })).toEqual([
        'vllm/llama-3.1-8b:latest',
      ]);
      // LIKE wildcards in the search are literal characters.
      expect(await ids({ search: '100%' })).toEqual(['text-embedding-3.small']);
      expect(await ids({ search: '%' })).toEqual(['text-embedding-3.small']);
      expect(await ids({ search: 'gpt_4o' })).toEqual([]);
      expect(await ids({ search: 'cheap_ones' })).toEqual([
        'text-embedding-3.small',
      ]);
      expect(await ids({ provider: 'openai' })).toEqual([
        'openai/gpt-4o',
        'text-embedding-3.small',
      ]);
      expect(await ids({ capability: 'vision' })).toEqual(['openai/gpt-4o']);
      expect(await ids({ capability: 'chat' })).toEqual([
        'openai/gpt-4o',
        'vllm/llama-3.1-8b:latest',
      ]);
      // A capability matches whole names only.
      expect(await ids({ capability: 'vis' })).toEqual([]);
      expect(await ids({ restricted: true })).toEqual([
        'vllm/llama-3.1-8b:latest',
      ]);
      expect(
        await ids({ restricted: false, provider: 'openai', search: 'emb' }),
      ).toEqual(['text-embedding-3.small']);
      await store.upsertMany([gpt, embed]);
      expect(await ids({ status: 'unavailable' })).toEqual([
        'vllm/llama-3.1-8b:latest',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'updates admin fields and clears them with null, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.upsertMany([gpt, llama]);
      const updated = await store.update(gpt.id, {
        deprecated: true,
        replacementModelId: llama.id,
        deprecationDate: '2026-06-30T00:00:00+02:00',
      });
      expect(updated).toMatchObject({
        deprecated: true,
        replacementModelId: llama.id,
        deprecationDate: '2026-06-29T22:00:00.000Z',
        restricted: false,
      });
      expect(
        await store.update(gpt.id, {
          deprecated: false,
          replacementModelId: null,
          deprecationDate: null,
        }),
      ).toMatchObject({
        deprecated: false,
        replacementModelId: null,
        deprecationDate: null,
      });
      await expect(store.update('nope', { restricted: true })).rejects.toThrow(
        NotFoundError,
      );
      expect(await store.get('nope')).toBeUndefined();
    },
  );
});
