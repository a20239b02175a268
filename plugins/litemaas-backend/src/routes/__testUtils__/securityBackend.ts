import { Entity } from '@backstage/catalog-model';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import {
  capturingNotificationService,
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '../../testUtils';

export const ALICE = 'user:default/alice'; // admin
export const BOB = 'user:default/bob'; // group:default/payments
export const CAROL = 'user:default/carol'; // group:default/payments
export const MALLORY = 'user:default/mallory'; // group:default/outsiders
export const PAYMENTS = 'group:default/payments';
export const MINI = 'gpt-4o-mini';
export const LLAMA = 'llama3.2:3b';
export const GPT4O = 'gpt-4o';

function group(name: string, members: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
  };
}

type Method = 'get' | 'post' | 'patch' | 'delete';

/** The test backend of the security tests, with its catalog groups and notifications. */
export interface SecurityBackend extends LiteMaaSTestBackend {
  /** Notifications the plugin sent. */
  sent: NotificationSendOptions[];
  call(
    method: Method,
    path: string,
    as: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): request.Test;
}

/** Config under `litemaas`, and emulator options, of a security backend. */
export interface SecurityBackendOptions {
  config?: Record<string, unknown>;
  emulator?: Parameters<typeof startLiteMaaSTestBackend>[0]['emulator'];
}

/**
 * The LiteMaaS backend on a real database with the LiteLLM emulator, a catalog holding
 * the groups of the test users, and the emulator's models synced.
 */
export async function startSecurityBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: SecurityBackendOptions = {},
): Promise<SecurityBackend> {
  const sent: NotificationSendOptions[] = [];
  const backend = await startLiteMaaSTestBackend({
    databases,
    databaseId,
    config: options.config,
    emulator: options.emulator,
    features: [
      catalogServiceMock.factory({
        entities: [
          group('payments', [BOB, CAROL]),
          group('outsiders', [MALLORY]),
          group('platform-team', [ALICE]),
        ],
      }),
      capturingNotificationService(sent),
    ],
  });
  const call: SecurityBackend['call'] = (method, path, as, body, headers) => {
    let req = request(backend.server)
      [method](`/api/litemaas${path}`)
      .set('Authorization', backend.as(as));
    for (const [name, value] of Object.entries(headers ?? {})) {
      req = req.set(name, value);
    }
    return body === undefined ? req : req.send(body as object);
  };
  const b: SecurityBackend = { ...backend, sent, call };
  const synced = await b.call('post', '/admin/models/sync', ALICE);
  if (synced.status !== 200) {
    throw new Error(`model sync failed: ${synced.status}`);
  }
  return b;
}

/**
 * One security backend per test, for a `describe` block: `start` opens it on an engine,
 * and it stops after each test whatever the outcome; `current` is the running one (for
 * the block's helpers), `databases` the engines to run on.
 */
export function securityBackendPerTest() {
  const databases = createTestDatabases();
  let running: SecurityBackend | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return {
    databases,
    get current(): SecurityBackend {
      if (!running) throw new Error('No security backend runs in this test');
      return running;
    },
    async start(
      databaseId: TestDatabaseId,
      options?: SecurityBackendOptions,
    ): Promise<SecurityBackend> {
      running = await startSecurityBackend(databases, databaseId, options);
      return running;
    },
  };
}

/** Subscribes `subject` to each model through the REST API (as `as`). */
export async function subscribeVia(
  b: SecurityBackend,
  as: string,
  models: string[],
  subject?: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const modelId of models) {
    const res = await b.call('post', '/subscriptions', as, {
      modelId,
      ...(subject ? { subject } : {}),
    });
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`subscribe ${modelId}: ${res.status} ${res.text}`);
    }
    ids.push(res.body.id);
  }
  return ids;
}

/** The emulator's (LiteLLM's) row of a key, by its token hash. */
export function litellmKey(b: LiteMaaSTestBackend, hash: string) {
  return b.emulator.state.keys.get(hash);
}

/** The database row of a key with its models. */
export async function dbKey(b: LiteMaaSTestBackend, id: string) {
  const row = await b.knex('litemaas_keys').where({ id }).first();
  const models = await b
    .knex('litemaas_key_models')
    .where({ key_id: id })
    .orderBy('model_id')
    .pluck('model_id');
  return { ...row, models };
}
