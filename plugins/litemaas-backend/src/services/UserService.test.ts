import { mockServices } from '@backstage/backend-test-utils';
import { RunningEmulator, startEmulator } from '@litemaas/litellm-emulator';
import { randomBytes } from 'node:crypto';
import { readLiteMaaSSettings } from '../config';
import { applyDatabaseMigrations } from '../database/migrations';
import { UserStore } from '../database/UserStore';
import { LiteLLMClient } from '../litellm';
import { createTestDatabases } from '../testUtils';
import { UserService } from './UserService';

jest.setTimeout(60_000);

describe('UserService', () => {
  const databases = createTestDatabases();
  let emulator: RunningEmulator;

  afterEach(async () => emulator?.close());

  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    behaviour?: Record<string, unknown>,
  ) {
    const masterKey = `sk-${randomBytes(12).toString('hex')}`;
    emulator = await startEmulator({ port: 0, masterKey, behaviour });
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    const config = mockServices.rootConfig({
      data: {
        litemaas: {
          litellm: { baseUrl: emulator.url, masterKey, timeoutMs: 1000 },
          users: { defaults: { maxBudget: 25, budgetDuration: '30d' } },
        },
      },
    });
    const logger = mockServices.logger.mock();
    const litellm = LiteLLMClient.fromConfig(config, { logger });
    const store = new UserStore(knex);
    const service = () =>
      new UserService(store, litellm, readLiteMaaSSettings(config), logger);
    return { store, service };
  }

  it.each(databases.eachSupportedId())(
    'creates the LiteLLM user once, in the default team, with default limits, on %p',
    async databaseId => {
      const { store, service } = await setup(databaseId);
      const users = service();
      const results = await Promise.all(
        Array.from({ length: 5 }, () => users.ensure('user:default/bob')),
      );
      expect(results.every(u => u.litellmUserId === 'user:default/bob')).toBe(
        true,
      );
      const litellmUser = emulator.state.users.get('user:default/bob');
      expect(litellmUser).toMatchObject({
        max_budget: 25,
        teams: ['litemaas-default'],
      });
      expect(emulator.state.teams.has('litemaas-default')).toBe(true);

      // Another replica (a new service instance) finds the user already there.
      await expect(service().ensure('user:default/bob')).resolves.toMatchObject(
        {
          entityRef: 'user:default/bob',
        },
      );
      // Only bob (besides LiteLLM's own default_user_id admin) exists in LiteLLM.
      expect(
        [...emulator.state.users.keys()].filter(id => id !== 'default_user_id'),
      ).toEqual(['user:default/bob']);
      expect((await store.get('user:default/bob'))?.litellmUserId).toBe(
        'user:default/bob',
      );
    },
  );

  it('works with LiteLLM versions that answer 200 for an unknown user', async () => {
    const { service } = await setup('SQLITE_3', {
      userInfoUnknown: 'empty200',
    });
    await service().ensure('user:default/carol');
    expect(emulator.state.users.get('user:default/carol')).toBeDefined();
  });

  it('does not remember a failure while LiteLLM is down', async () => {
    const { service } = await setup('SQLITE_3');
    const users = service();
    emulator.injectFault({ path: '*', status: 503, times: 20 });
    await expect(users.ensure('user:default/dave')).rejects.toThrow();
    emulator.clearFaults();
    await users.ensure('user:default/dave');
    expect(emulator.state.users.get('user:default/dave')).toBeDefined();
  });
});
