import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '../testUtils';
import { MODEL_SYNC_TASK_ID, SUBSCRIPTION_EXPIRY_TASK_ID } from './schedules';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';

describe('scheduled model and subscription jobs', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  function scheduled(
    scheduler: ReturnType<typeof mockServices.scheduler.mock>,
  ) {
    const tasks = new Map<string, any>();
    for (const [task] of scheduler.scheduleTask.mock.calls) {
      tasks.set(task.id, task);
    }
    return tasks as Map<
      string,
      SchedulerServiceTaskInvocationDefinition & Record<string, unknown>
    >;
  }

  it('starts while LiteLLM is unreachable; the sync job logs and carries on', async () => {
    const scheduler = mockServices.scheduler.mock();
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      // Nothing listens on port 9.
      config: {
        litellm: {
          baseUrl: 'http://127.0.0.1:9',
          masterKey: 'unused',
          timeoutMs: 500,
        },
      },
      features: [scheduler.factory],
    });
    const tasks = scheduled(scheduler);
    expect(tasks.get(MODEL_SYNC_TASK_ID)).toMatchObject({
      scope: 'global',
      frequency: { minutes: 5 },
      initialDelay: { seconds: 1 },
      timeout: expect.anything(),
    });
    expect(tasks.get(SUBSCRIPTION_EXPIRY_TASK_ID)).toMatchObject({
      scope: 'global',
      frequency: { minutes: 1 },
    });

    const signal = new AbortController().signal;
    await expect(
      tasks.get(MODEL_SYNC_TASK_ID)!.fn(signal),
    ).resolves.toBeUndefined();
    await expect(
      tasks.get(SUBSCRIPTION_EXPIRY_TASK_ID)!.fn(signal),
    ).resolves.toBeUndefined();

    const list = await request(backend.server)
      .get('/api/litemaas/models')
      .set('Authorization', backend.as(ALICE));
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [], total: 0 });
    const sync = await request(backend.server)
      .post('/api/litemaas/admin/models/sync')
      .set('Authorization', backend.as(ALICE));
    expect(sync.status).toBe(503);
  });

  it.each(databases.eachSupportedId())(
    'reads the schedule from config and syncs models when the job runs on %p',
    async databaseId => {
      const scheduler = mockServices.scheduler.mock();
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        config: {
          schedules: {
            modelSync: {
              frequency: { minutes: 30 },
              timeout: 'PT3M',
            },
          },
        },
        features: [scheduler.factory],
      });
      const task = scheduled(scheduler).get(MODEL_SYNC_TASK_ID)!;
      expect(task).toMatchObject({
        scope: 'global',
        frequency: { minutes: 30 },
      });

      const before = await request(backend.server)
        .get('/api/litemaas/models')
        .set('Authorization', backend.as(ALICE));
      expect(before.body.total).toBe(0);

      await task.fn(new AbortController().signal);
      const after = await request(backend.server)
        .get('/api/litemaas/models')
        .set('Authorization', backend.as(ALICE));
      expect(after.body.total).toBe(13);
    },
  );
});
