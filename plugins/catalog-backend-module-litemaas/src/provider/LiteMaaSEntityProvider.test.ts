import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  LiteMaaSClient,
  Model,
} from '@litemaas/backstage-plugin-litemaas-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  aModel,
  emulatorDefaultModels,
  modelsResponse,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import { validateLikeTheCatalog } from '../__testUtils__/entities';
import { modelEntityName } from '../entities/entityName';
import { readProviderConfig } from './config';
import {
  LiteMaaSEntityProvider,
  UNCHANGED_REAPPLY_MS,
} from './LiteMaaSEntityProvider';
import { createServiceFetch } from './serviceFetch';

const BASE = 'http://backstage.internal:7007/api/litemaas';
const server = setupServer();
registerMswTestHooks(server);

const SERVICE_TOKEN = mockCredentials.service.token({
  onBehalfOf: mockCredentials.service('plugin:catalog'),
  targetPluginId: 'litemaas',
});

type Answer =
  | { models: Model[] }
  | { status: number }
  | { networkError: true }
  | { body: unknown };

function setup(
  options: { config?: Record<string, unknown>; publicBaseUrl?: string } = {},
) {
  let answer: Answer = { models: emulatorDefaultModels() };
  const authorizations: (string | null)[] = [];
  server.use(
    http.get(`${BASE}/models`, ({ request }) => {
      authorizations.push(request.headers.get('authorization'));
      if ('networkError' in answer) return HttpResponse.error();
      if ('status' in answer) {
        return HttpResponse.json(
          {
            error: { name: 'ServiceUnavailableError', message: 'db is down' },
            response: { statusCode: answer.status },
          },
          { status: answer.status },
        );
      }
      if ('body' in answer) return HttpResponse.json(answer.body as any);
      return HttpResponse.json(modelsResponse(answer.models));
    }),
    http.get(`${BASE}/config`, () =>
      options.publicBaseUrl
        ? HttpResponse.json({
            publicBaseUrl: options.publicBaseUrl,
            currency: 'USD',
          })
        : HttpResponse.json({ error: { message: 'nope' } }, { status: 404 }),
    ),
  );

  const discovery = { getBaseUrl: async () => BASE };
  const fetchApi = createServiceFetch(
    mockServices.auth({ pluginId: 'catalog' }),
  );
  const client = new LiteMaaSClient({ discoveryApi: discovery, fetchApi });
  const logger = mockServices.logger.mock();
  const taskRunner = { run: jest.fn() };
  let clock = 1_000_000;
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: jest.fn(async m => {
      mutations.push(m);
    }),
    refresh: jest.fn(),
  };
  const provider = new LiteMaaSEntityProvider({
    config: readProviderConfig(
      mockServices.rootConfig({
        data: {
          app: { baseUrl: 'http://portal.example.com' },
          litemaas: { litellm: { baseUrl: 'http://litellm.internal:4000' } },
          ...options.config,
        },
      }),
    ),
    client,
    discovery,
    fetchApi,
    logger,
    taskRunner,
    now: () => clock,
  });
  return {
    advanceClock: (ms: number) => {
      clock += ms;
    },
    provider,
    connection,
    mutations,
    logger,
    taskRunner,
    authorizations,
    answer: (a: Answer) => {
      answer = a;
    },
  };
}

function entitiesOf(mutation: EntityProviderMutation): Entity[] {
  if (mutation.type !== 'full') throw new Error('expected a full mutation');
  return mutation.entities.map(e => e.entity);
}

function modelIdsOf(mutation: EntityProviderMutation): string[] {
  return entitiesOf(mutation)
    .filter(e => e.kind === 'Resource')
    .map(e => e.metadata.annotations!['litemaas.io/model-id']);
}

describe('LiteMaaSEntityProvider', () => {
  it('schedules its refresh with the task runner', async () => {
    const t = setup();
    await t.provider.connect(t.connection);
    expect(t.taskRunner.run).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'LiteMaaSEntityProvider:refresh' }),
    );
    expect(t.mutations).toHaveLength(0);
    await t.taskRunner.run.mock.calls[0][0].fn();
    expect(t.mutations).toHaveLength(1);
  });

  it('publishes every model with a full mutation, read with a service token', async () => {
    const t = setup();
    await t.provider.connect(t.connection);
    await expect(t.provider.refresh()).resolves.toBe(true);

    expect(t.authorizations).toEqual([`Bearer ${SERVICE_TOKEN}`]);
    expect(t.mutations).toHaveLength(1);
    const mutation = t.mutations[0];
    expect(mutation.type).toBe('full');
    const deferred = mutation.type === 'full' ? mutation.entities : [];
    const models = emulatorDefaultModels();
    expect(deferred).toHaveLength(models.length + 2);
    for (const { entity, locationKey } of deferred) {
      expect(locationKey).toBe('litemaas:LiteMaaSEntityProvider');
      expect(entity.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location': 'litemaas:LiteMaaSEntityProvider',
        'backstage.io/managed-by-origin-location':
          'litemaas:LiteMaaSEntityProvider',
      });
      await validateLikeTheCatalog(entity);
    }
    expect(modelIdsOf(mutation).sort()).toEqual(models.map(m => m.id).sort());
    const llama = entitiesOf(mutation).find(
      e => e.metadata.name === modelEntityName('llama3.2:3b'),
    )!;
    expect(llama.metadata.links![0].url).toBe(
      'http://portal.example.com/litemaas/models/llama3.2%3A3b',
    );
  });

  it('removes models that left or became unavailable on the next run', async () => {
    const t = setup();
    await t.provider.connect(t.connection);
    t.answer({
      models: [aModel('gpt-4o'), aModel('llama3.2:3b'), aModel('o3-mini')],
    });
    await t.provider.refresh();
    t.answer({
      models: [
        aModel('gpt-4o'),
        aModel('llama3.2:3b', { status: 'unavailable' }),
      ],
    });
    await t.provider.refresh();
    expect(t.mutations.map(modelIdsOf)).toEqual([
      ['gpt-4o', 'llama3.2:3b', 'o3-mini'],
      ['gpt-4o'],
    ]);
  });

  it('skips the mutation while the models are unchanged, and applies it again after an hour', async () => {
    const t = setup();
    await t.provider.connect(t.connection);
    t.answer({ models: [aModel('gpt-4o'), aModel('o3-mini')] });
    await expect(t.provider.refresh()).resolves.toBe(true);
    // Same models (a fresh read, equal content): nothing for the catalog to do.
    t.advanceClock(UNCHANGED_REAPPLY_MS - 1);
    await expect(t.provider.refresh()).resolves.toBe(false);
    expect(t.authorizations).toHaveLength(2);
    // One model changes: a full mutation with every entity, not only the changed one.
    t.answer({
      models: [aModel('gpt-4o', { deprecated: true }), aModel('o3-mini')],
    });
    await expect(t.provider.refresh()).resolves.toBe(true);
    expect(t.mutations.map(modelIdsOf)).toEqual([
      ['gpt-4o', 'o3-mini'],
      ['gpt-4o', 'o3-mini'],
    ]);
    const gpt = entitiesOf(t.mutations[1]).find(
      e => e.metadata.name === 'gpt-4o',
    )!;
    expect(gpt.metadata.annotations!['litemaas.io/deprecated']).toBe('true');
    // Unchanged for an hour: applied again, restoring anything edited in the catalog.
    t.advanceClock(UNCHANGED_REAPPLY_MS - 1);
    await expect(t.provider.refresh()).resolves.toBe(false);
    t.advanceClock(1);
    await expect(t.provider.refresh()).resolves.toBe(true);
    expect(t.mutations).toHaveLength(3);
    expect(t.mutations[2]).toEqual(t.mutations[1]);
  });

  it('applies the same models again after a mutation the catalog refused', async () => {
    const t = setup();
    await t.provider.connect(t.connection);
    t.answer({ models: [aModel('gpt-4o')] });
    (t.connection.applyMutation as jest.Mock).mockRejectedValueOnce(
      new Error('database is locked'),
    );
    await expect(t.provider.refresh()).resolves.toBe(false);
    expect(String(t.logger.warn.mock.calls[0][0])).toMatch(
      /could not apply: database is locked/,
    );
    await expect(t.provider.refresh()).resolves.toBe(true);
    expect(t.mutations.map(modelIdsOf)).toEqual([['gpt-4o']]);
  });

  it('emits an empty model list when the backend has no models', async () => {
    const t = setup();
    await t.provider.connect(t.connection);
    t.answer({ models: [] });
    await t.provider.refresh();
    expect(t.mutations.map(modelIdsOf)).toEqual([[]]);
    expect(entitiesOf(t.mutations[0]).map(e => e.kind)).toEqual([
      'Component',
      'API',
    ]);
  });

  it.each<[string, Answer]>([
    ['answers 503', { status: 503 }],
    ['answers 401', { status: 401 }],
    ['is unreachable', { networkError: true }],
    ['answers something else than models', { body: { items: [{ id: 1 }] } }],
  ])(
    'never throws and keeps the previous entities when the backend %s',
    async (_, failure) => {
      const t = setup();
      await t.provider.connect(t.connection);
      t.answer({ models: [aModel('gpt-4o')] });
      await t.provider.refresh();
      t.answer(failure);
      await expect(t.provider.refresh()).resolves.toBe(false);
      expect(t.mutations).toHaveLength(1);
      expect(t.logger.warn).toHaveBeenCalledTimes(1);
      const warning = String(t.logger.warn.mock.calls[0][0]);
      expect(warning).toMatch(/LiteMaaS catalog sync failed/);
      expect(warning).not.toContain(SERVICE_TOKEN);
      expect(warning).not.toMatch(/Bearer/);
      // And the next good run publishes again.
      t.answer({ models: [aModel('gpt-4o'), aModel('o3-mini')] });
      await expect(t.provider.refresh()).resolves.toBe(true);
      expect(t.mutations.map(modelIdsOf)[1]).toEqual(['gpt-4o', 'o3-mini']);
    },
  );

  it('emits nothing at all when the first run fails', async () => {
    const t = setup();
    await t.provider.connect(t.connection);
    t.answer({ status: 503 });
    await t.provider.refresh();
    expect(t.connection.applyMutation).not.toHaveBeenCalled();
  });

  describe('the API URL', () => {
    const apiOf = (t: ReturnType<typeof setup>) =>
      entitiesOf(t.mutations[0]).find(e => e.kind === 'API')!;

    it("is the backend's publicBaseUrl when it answers", async () => {
      const t = setup({ publicBaseUrl: 'https://llm.example.com/' });
      await t.provider.connect(t.connection);
      await t.provider.refresh();
      expect(apiOf(t).metadata.annotations!['litemaas.io/base-url']).toBe(
        'https://llm.example.com',
      );
    });

    it('is the configured URL first', async () => {
      const t = setup({
        publicBaseUrl: 'https://llm.example.com',
        config: {
          catalog: {
            providers: { litemaas: { api: { url: 'https://ai.example.org' } } },
          },
        },
      });
      await t.provider.connect(t.connection);
      await t.provider.refresh();
      expect(apiOf(t).metadata.annotations!['litemaas.io/base-url']).toBe(
        'https://ai.example.org',
      );
    });

    it('falls back to the litemaas config when the backend does not say', async () => {
      const t = setup();
      await t.provider.connect(t.connection);
      await t.provider.refresh();
      expect(apiOf(t).metadata.annotations!['litemaas.io/base-url']).toBe(
        'http://litellm.internal:4000',
      );
    });
  });
});
