import { mockServices } from '@backstage/backend-test-utils';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ApiKey } from '@litemaas/backstage-plugin-litemaas-common';
import { RunningEmulator, startEmulator } from '@litemaas/litellm-emulator';
import { randomBytes } from 'node:crypto';
import { LiteLLMClient } from '../litellm';
import { KeyUsageReader } from './KeyUsageReader';

jest.setTimeout(30_000);

describe('KeyUsageReader on the shared cache', () => {
  let emulator: RunningEmulator;

  afterEach(async () => emulator?.close());

  async function setup() {
    const masterKey = `sk-${randomBytes(12).toString('hex')}`;
    emulator = await startEmulator({ port: 0, masterKey });
    const config = mockServices.rootConfig({
      data: {
        litemaas: {
          litellm: { baseUrl: emulator.url, masterKey, timeoutMs: 1000 },
        },
      },
    });
    const logger = mockServices.logger.mock();
    const litellm = LiteLLMClient.fromConfig(config, { logger });
    // One cache store, as two replicas of the backend share one Redis.
    const shared = CacheManager.fromConfig(mockServices.rootConfig());
    const replica = () =>
      new KeyUsageReader(litellm, shared.forPlugin('litemaas'), logger);
    const generated = await litellm.generateKey({
      key_alias: 'usage-cache',
      models: ['gpt-4o-mini'],
      max_budget: 10,
    });
    const key = {
      id: 'key-1',
      status: 'active',
      maxBudget: 10,
      litellmKeyHash: generated.token,
    } as ApiKey;
    return { litellm, replica, key, shared };
  }

  it('serves every replica the same cached read until a replica forgets it', async () => {
    const { litellm, replica, key } = await setup();
    const [a, b] = [replica(), replica()];
    await expect(a.read(key)).resolves.toMatchObject({
      available: true,
      blockedInLiteLLM: false,
    });

    await litellm.blockKey(key.litellmKeyHash!);
    // b has never read the key: it gets a's read from the shared cache
    await expect(b.read(key)).resolves.toMatchObject({
      blockedInLiteLLM: false,
    });

    await a.forget(key.id);
    await expect(b.read(key)).resolves.toMatchObject({
      blockedInLiteLLM: true,
    });
  });

  it('reads 150 keys with two /v2/key/info calls of at most 100, then from the cache', async () => {
    const { litellm, replica } = await setup();
    const keys: ApiKey[] = [];
    for (let i = 0; i < 150; i++) {
      const generated = await litellm.generateKey({
        key_alias: `many-${i}`,
        models: ['gpt-4o-mini'],
        max_budget: i + 1,
      });
      emulator.state.keys.get(generated.token)!.spend = i / 100;
      keys.push({
        id: `key-${i}`,
        status: 'active',
        maxBudget: 1000,
        litellmKeyHash: generated.token,
      } as ApiKey);
    }
    // One key LiteLLM no longer has, and one LiteMaaS never finished: unknown, no call.
    keys.push(
      {
        id: 'gone',
        status: 'active',
        maxBudget: 5,
        litellmKeyHash: 'f'.repeat(64),
      } as ApiKey,
      { id: 'pending', status: 'pending', maxBudget: 5 } as ApiKey,
    );
    const batch = jest.spyOn(litellm, 'getKeysInfo');
    const reader = replica();

    const usage = await reader.readMany(keys);
    expect(batch.mock.calls.map(([hashes]) => hashes.length)).toEqual([
      100, 51,
    ]);
    expect(usage.get('key-0')).toMatchObject({
      available: true,
      spend: 0,
      maxBudget: 1,
    });
    expect(usage.get('key-149')).toMatchObject({
      available: true,
      spend: 1.49,
      maxBudget: 150,
      budgetUsedRatio: 1.49 / 150,
    });
    expect(usage.get('gone')).toMatchObject({ available: false, spend: null });
    expect(usage.get('pending')).toMatchObject({ available: false });

    // Read again: the 150 come from the cache; only the unknown one is asked again, on
    // its own (`/key/info`).
    batch.mockClear();
    const single = jest.spyOn(litellm, 'getKeyInfo');
    const again = await reader.readMany(keys);
    expect(again.get('key-149')?.spend).toBe(1.49);
    expect(batch).not.toHaveBeenCalled();
    expect(single.mock.calls).toEqual([['f'.repeat(64)]]);
  });

  it('does not cache a failed read', async () => {
    const { replica, key } = await setup();
    const reader = replica();
    emulator.injectFault({ path: '/key/info', status: 503, times: 3 });
    await expect(reader.read(key)).resolves.toMatchObject({
      available: false,
    });
    await expect(reader.read(key)).resolves.toMatchObject({
      available: true,
    });
  });
});
