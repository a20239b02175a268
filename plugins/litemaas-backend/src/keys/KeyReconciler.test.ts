import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { RunningEmulator, startEmulator } from '@litemaas/litellm-emulator';
import { randomBytes } from 'node:crypto';
import { readLiteMaaSSettings } from '../config';
import { createStores } from '../database';
import { applyDatabaseMigrations } from '../database/migrations';
import { LiteLLMClient } from '../litellm';
import { createTestDatabases } from '../testUtils';
import { AccessService, Caller } from '../services/AccessService';
import { AuditService } from '../services/AuditService';
import { UserService } from '../services/UserService';
import { createKeyServices } from '.';

jest.setTimeout(60_000);

const BOB = 'user:default/bob';
const PAYMENTS = 'group:default/payments';
const MINI = 'gpt-4o-mini';
const LLAMA = 'llama3.2:3b';

describe('KeyReconciler.removeModelFromSubjectKeys', () => {
  const databases = createTestDatabases();
  let emulator: RunningEmulator;

  afterEach(async () => emulator?.close());

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const masterKey = `sk-${randomBytes(12).toString('hex')}`;
    emulator = await startEmulator({ port: 0, masterKey });
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    const config = mockServices.rootConfig({
      data: {
        litemaas: {
          litellm: { baseUrl: emulator.url, masterKey, timeoutMs: 1000 },
        },
      },
    });
    const logger = mockServices.logger.mock();
    const client = LiteLLMClient.fromConfig(config, { logger });
    // Every model list sent to LiteLLM, whatever the call.
    const modelListsSent: string[][] = [];
    const litellm = new Proxy(client, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: any[]) => {
          for (const arg of args) {
            if (arg && typeof arg === 'object' && Array.isArray(arg.models)) {
              modelListsSent.push([...arg.models]);
            }
          }
          return value.apply(target, args);
        };
      },
    });
    const settings = readLiteMaaSSettings(config);
    const stores = createStores(knex);
    // Creation is authorized by the routes' tests; here everything is allowed.
    const access = {
      require: async () => {},
      isAllowed: async () => true,
      canOnKey: async () => true,
    } as unknown as AccessService;
    const auditor = {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    } as any;
    const { keys, reconciler } = createKeyServices({
      keys: stores.keys,
      subscriptions: stores.subscriptions,
      litellm,
      cache: CacheManager.fromConfig(config).forPlugin('litemaas'),
      access,
      audit: new AuditService(stores.audit, auditor, logger),
      users: new UserService(stores.users, litellm, settings, logger),
      settings,
      logger,
      // Payments is a LiteMaaS team, so it may own keys.
      teams: {
        litellmTeamIdFor: async ref =>
          (await stores.teams.get(ref))?.litellmTeamId,
        allowedModelsOf: async ref =>
          (await stores.teams.get(ref))?.allowedModels ?? null,
      },
    });
    await client.createTeam({ team_id: PAYMENTS });
    await stores.teams.create({
      ref: PAYMENTS,
      litellmTeamId: PAYMENTS,
      createdBy: 'user:default/alice',
    });
    const subscribe = async (subjectRef: string, models: string[]) => {
      for (const modelId of models) {
        await stores.subscriptions.createOrGet({
          subjectRef,
          modelId,
          status: 'active',
          createdBy: BOB,
        });
      }
    };
    const bob: Caller = {
      credentials: {} as any,
      userRef: BOB,
      ownershipRefs: [BOB, PAYMENTS],
    };
    return { keys, reconciler, stores, subscribe, bob, knex, modelListsSent };
  }

  it.each(databases.eachSupportedId())(
    'narrows keys that keep a model, blocks those that lose their last one (never an empty list), on %p',
    async databaseId => {
      const { keys, reconciler, stores, subscribe, bob, modelListsSent } =
        await setup(databaseId);
      await subscribe(BOB, [MINI, LLAMA]);
      await subscribe(PAYMENTS, [MINI]);
      const two = await keys.create(bob, {
        name: 'two',
        models: [MINI, LLAMA],
      });
      const one = await keys.create(bob, { name: 'one', models: [MINI] });
      const other = await keys.create(bob, { name: 'llama', models: [LLAMA] });
      const team = await keys.create(bob, {
        name: 'team',
        models: [MINI],
        owner: PAYMENTS,
      });

      modelListsSent.length = 0;

      const result = await reconciler.removeModelFromSubjectKeys({
        subjectRef: BOB,
        modelId: MINI,
        actorRef: 'user:default/alice',
        reason: 'subscription cancelled',
      });
      expect(result.updatedKeyIds).toEqual([two.id]);
      expect(result.blockedKeyIds).toEqual([one.id]);

      const litellmTwo = emulator.state.keys.get(two.litellmKeyHash!)!;
      expect(litellmTwo.models).toEqual([LLAMA]);
      expect(litellmTwo.blocked).not.toBe(true);
      const litellmOne = emulator.state.keys.get(one.litellmKeyHash!)!;
      expect(litellmOne.blocked).toBe(true);
      expect(litellmOne.models).toEqual([MINI]); // kept, not emptied
      for (const k of emulator.state.keys.values()) {
        expect(`${k.key_alias}: ${k.models.length}`).not.toMatch(/: 0$/);
      }
      // One update (the narrowed key), and no empty list ever sent.
      expect(modelListsSent).toEqual([[LLAMA]]);

      expect(await stores.keys.get(two.id)).toMatchObject({
        status: 'active',
        models: [LLAMA],
      });
      expect(await stores.keys.get(one.id)).toMatchObject({
        status: 'blocked',
        blockedByAdmin: false,
        models: [MINI],
      });
      // Keys of other subjects, and keys without the model, are untouched.
      expect(await stores.keys.get(team.id)).toMatchObject({
        status: 'active',
        models: [MINI],
      });
      expect(emulator.state.keys.get(team.litellmKeyHash!)!.models).toEqual([
        MINI,
      ]);
      expect(await stores.keys.get(other.id)).toMatchObject({
        status: 'active',
      });

      // The audit trail says who and why.
      const audit = await stores.audit.list({ limit: 50 });
      expect(
        audit.items
          .filter(a => a.actorRef === 'user:default/alice')
          .map(a => `${a.action}:${a.targetId}`)
          .sort(),
      ).toEqual([`key.block:${one.id}`, `key.update:${two.id}`].sort());

      // Reconciliation keeps the blocked key blocked and its list non-empty.
      const report = await reconciler.reconcile();
      expect(report).toMatchObject({
        driftFixed: 0,
        orphansDeleted: 0,
        errors: 0,
      });
      expect(emulator.state.keys.get(one.litellmKeyHash!)!.blocked).toBe(true);

      // The owner gives the blocked key models they still have: it comes back.
      const revived = await keys.update(bob, one.id, { models: [LLAMA] });
      expect(revived).toMatchObject({ status: 'active', models: [LLAMA] });
      expect(emulator.state.keys.get(one.litellmKeyHash!)).toMatchObject({
        blocked: false,
        models: [LLAMA],
      });
    },
  );

  it('reports failure (and changes nothing for that key) when LiteLLM is down', async () => {
    const { keys, reconciler, stores, subscribe, bob } = await setup(
      'SQLITE_3',
    );
    await subscribe(BOB, [MINI, LLAMA]);
    const two = await keys.create(bob, { name: 'two', models: [MINI, LLAMA] });
    emulator.injectFault({ path: '/key/update', status: 503, times: 1 });
    await expect(
      reconciler.removeModelFromSubjectKeys({
        subjectRef: BOB,
        modelId: MINI,
        actorRef: 'user:default/alice',
        reason: 'cancelled',
      }),
    ).rejects.toThrow(/Could not remove model 'gpt-4o-mini' from 1 key/);
    expect((await stores.keys.get(two.id))!.models).toEqual([MINI, LLAMA]);
  });
});
