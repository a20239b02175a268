import { mockServices } from '@backstage/backend-test-utils';
import { startEmulator } from '@litemaas/litellm-emulator';
import { createTestDatabases } from '../testUtils';
import { createStores } from '../database';
import { applyDatabaseMigrations } from '../database/migrations';
import { LiteLLMClient } from '../litellm';
import { AuditService } from './AuditService';
import {
  ModelService,
  modelFromLiteLLM,
  subscriptionsByModel,
} from './ModelService';

jest.setTimeout(60_000);

describe('modelFromLiteLLM', () => {
  it('maps the /model/info fields and supports_* flags', () => {
    expect(
      modelFromLiteLLM({
        model_name: 'acme/chat:1.5',
        litellm_params: { model: 'hosted_vllm/acme/chat' },
        model_info: {
          mode: 'chat',
          litellm_provider: 'hosted_vllm',
          max_input_tokens: 32000,
          max_tokens: 4096,
          input_cost_per_token: 1e-7,
          output_cost_per_token: 2e-7,
          supports_vision: true,
          supports_function_calling: true,
          supports_parallel_function_calling: true,
          supports_reasoning: false,
          supports_audio_input: null,
          description: '  A chat model  ',
        },
      }),
    ).toEqual({
      id: 'acme/chat:1.5',
      provider: 'hosted_vllm',
      description: 'A chat model',
      contextLength: 32000,
      inputCostPerToken: 1e-7,
      outputCostPerToken: 2e-7,
      capabilities: [
        'chat',
        'function_calling',
        'parallel_function_calling',
        'vision',
      ],
      mode: 'chat',
    });
  });

  it('falls back to custom_llm_provider, the model prefix, max_tokens and defaults', () => {
    expect(
      modelFromLiteLLM({
        model_name: 'x',
        litellm_params: { model: 'whatever', custom_llm_provider: 'azure' },
        model_info: { max_tokens: 8192 },
      }),
    ).toMatchObject({
      provider: 'azure',
      contextLength: 8192,
      mode: 'chat',
      inputCostPerToken: null,
      outputCostPerToken: null,
      description: null,
    });
    expect(
      modelFromLiteLLM({
        model_name: 'emb',
        litellm_params: { model: 'bedrock/amazon.titan-embed-text-v2:0' },
        model_info: { mode: 'embedding', litellm_provider: null },
      }),
    ).toMatchObject({
      provider: 'bedrock',
      capabilities: ['embeddings'],
      contextLength: null,
    });
    expect(modelFromLiteLLM({ model_name: 'bare' })).toMatchObject({
      provider: 'unknown',
      capabilities: ['chat'],
    });
  });
});

describe('subscriptionsByModel', () => {
  const sub = (
    id: string,
    subjectRef: string,
    status: any,
    modelId = 'm',
  ): any => ({ id, subjectRef, modelId, status, expiresAt: null });

  it("prefers the user's own subscription, then the most useful group one", () => {
    const me = 'user:default/bob';
    const byModel = subscriptionsByModel(me, [
      sub('g-cancelled', 'group:default/a', 'cancelled'),
      sub('g-active', 'group:default/b', 'active'),
      sub('mine', me, 'cancelled'),
      sub('g-pending', 'group:default/a', 'pending', 'other'),
      sub('g-denied', 'group:default/b', 'denied', 'other'),
    ]);
    expect(byModel.get('m')?.id).toBe('mine');
    expect(byModel.get('other')?.id).toBe('g-pending');
  });
});

describe('ModelService scheduled sync', () => {
  const databases = createTestDatabases();

  it('never throws when LiteLLM is down, and syncs once it is back', async () => {
    const knex = await databases.init('SQLITE_3');
    const db = await applyDatabaseMigrations({
      getClient: async () => knex,
    });
    const stores = createStores(db);
    const logger = mockServices.logger.mock();
    const emulator = await startEmulator({ port: 0, masterKey: 'test-master' });
    const url = emulator.url;
    await emulator.close();
    const service = new ModelService({
      models: stores.models,
      subscriptions: stores.subscriptions,
      litellm: new LiteLLMClient({
        baseUrl: url,
        masterKey: 'test-master',
        logger,
        timeoutMs: 500,
        retry: { maxAttempts: 1 },
      }),
      audit: new AuditService(
        stores.audit,
        mockServices.auditor.mock({
          createEvent: async () => ({
            success: async () => {},
            fail: async () => {},
          }),
        }),
        logger,
      ),
      logger,
    });

    await expect(service.syncScheduled()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /model sync failed, serving the last synced models/,
      ),
    );
    expect(await stores.models.list()).toEqual([]);

    const port = Number(new URL(url).port);
    const revived = await startEmulator({ port, masterKey: 'test-master' });
    try {
      await expect(service.syncScheduled()).resolves.toEqual({
        added: 13,
        updated: 0,
        unavailable: 0,
      });
      // A run that changes nothing is not written to the audit trail.
      await service.syncScheduled();
      const audit = await stores.audit.list({ limit: 10 });
      expect(audit.items).toHaveLength(1);

      // LiteLLM answers an empty list: suspicious, so a warning and the last good list.
      logger.warn.mockClear();
      revived.injectFault({
        path: '/model/info',
        status: 200,
        body: { data: [] },
      });
      await expect(service.syncScheduled()).resolves.toBeUndefined();
      expect(logger.warn).toHaveBeenCalledWith(
        'LiteMaaS model sync failed, serving the last synced models: LiteLLM answered an empty model list; keeping the 13 models of the last good sync. If every model was really removed, an admin confirms it with POST /admin/models/sync?confirmEmpty=true',
      );
      expect(
        (await stores.models.list()).filter(m => m.status === 'available'),
      ).toHaveLength(13);
      expect(audit.items[0]).toMatchObject({
        actorRef: 'plugin:litemaas',
        action: 'model.sync',
      });
    } finally {
      await revived.close();
    }
  });
});
