import { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  BOB,
  CAROL,
  chatStatus,
  createTestDatabases,
  LiteMaaSTestBackend,
  managedLiteLLMKeys,
  MALLORY,
  PAYMENTS,
  SECRET_PATTERN,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import {
  growingTestCatalog,
  startLiteMaaSForScaffolder,
} from './__testUtils__/backend';
import { scaffolderModuleLitemaas } from './module';

jest.setTimeout(120_000);

const TEMPLATE_DIR = path.resolve(
  __dirname,
  '../../../examples/templates/llm-service',
);
const TEMPLATE_FILE = path.join(TEMPLATE_DIR, 'template.yaml');

const template = yaml.parse(fs.readFileSync(TEMPLATE_FILE, 'utf8')) as Entity;
const templateEntity: Entity = {
  ...template,
  metadata: {
    ...template.metadata,
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `file:${TEMPLATE_FILE}`,
      'backstage.io/managed-by-origin-location': `file:${TEMPLATE_FILE}`,
    },
  },
};
const userEntity = (name: string, group: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [group] },
});

const values = {
  name: 'invoice-bot',
  description: 'Reads invoices',
  owner: PAYMENTS,
  models: ['gpt-4o'],
  justification: 'Invoice extraction',
  maxBudget: 20,
  budgetDuration: '30d',
  rpmLimit: 30,
  expiresInDays: 30,
};

const databases = createTestDatabases();

/**
 * Resolves once the scaffolder has read a task's completion event. While it runs a task,
 * the scaffolder watches it for cancellation by reading the task's events once a second
 * until it reads the completion (StorageTaskBroker.registerCancellable); that loop has no
 * shutdown hook and no catch. A test that stops the backend before that last read leaves
 * it to run after TestDatabases destroyed the database, and its knex "Unable to acquire a
 * connection" fails whichever test file runs next in the same jest worker.
 */
function watchCompletionReads(
  knex: Awaited<ReturnType<LiteMaaSTestBackend['pluginDatabase']>>,
) {
  const read = new Set<string>();
  const waiting = new Map<string, () => void>();
  knex.on('query-response', (response: unknown, query: { sql: string }) => {
    if (!query.sql.includes('task_events') || !Array.isArray(response)) return;
    for (const row of response as Array<Record<string, unknown>>) {
      if (row.event_type === 'completion') {
        const taskId = String(row.task_id);
        read.add(taskId);
        waiting.get(taskId)?.();
      }
    }
  });
  return (taskId: string) =>
    read.has(taskId)
      ? Promise.resolve()
      : new Promise<void>(resolve => waiting.set(taskId, resolve));
}

describe.each(databases.eachSupportedId())(
  'the "New service with LLM access" template, on %p',
  databaseId => {
    let backend: LiteMaaSTestBackend;
    let completionRead: (taskId: string) => Promise<void>;

    beforeAll(async () => {
      // The scaffolder runs next to the LiteMaaS backend, each on its own database.
      backend = await startLiteMaaSForScaffolder(
        databases,
        databaseId,
        [scaffolderPlugin, scaffolderModuleLitemaas],
        growingTestCatalog([
          templateEntity,
          userEntity('bob', 'payments'),
          userEntity('carol', 'payments'),
        ]),
      );
      completionRead = watchCompletionReads(
        await backend.pluginDatabase('scaffolder'),
      );
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const as = (user: string) => mockCredentials.user.header(user);

    /** Polls the task until it ends, then until the scaffolder itself read its end. */
    async function runToEnd(taskId: string) {
      let task: any;
      for (let i = 0; i < 200; i++) {
        task = (
          await request(backend.server)
            .get(`/api/scaffolder/v2/tasks/${taskId}`)
            .set('Authorization', as(BOB))
        ).body;
        if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
        await new Promise(r => setTimeout(r, 100));
      }
      // Before anything else reads the events, so the read is the scaffolder's own.
      await completionRead(taskId);
      return task;
    }

    /** Runs the template as bob for a service called `name`, to its end, with its log. */
    async function runTemplate(name: string) {
      const created = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', as(BOB))
        .send({
          templateRef: 'template:default/llm-service',
          values: { ...values, name },
        });
      expect(created.status).toBe(201);
      const task = await runToEnd(created.body.id);
      const events = (
        await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
          .set('Authorization', as(BOB))
      ).body as unknown[];
      return { task, events };
    }

    const reveals = async () =>
      Number(
        (await backend.knex('litemaas_reveals').count({ n: '*' }).first())!.n,
      );

    it('lists the LiteMaaS actions with their schemas and examples', async () => {
      const res = await request(backend.server)
        .get('/api/scaffolder/v2/actions')
        .set('Authorization', as(BOB));
      expect(res.status).toBe(200);
      const byId = Object.fromEntries(
        res.body.map((a: { id: string }) => [a.id, a]),
      );
      expect(byId['litemaas:key:create']).toMatchObject({
        description: expect.stringContaining('one-time reveal link'),
        schema: {
          input: {
            type: 'object',
            required: expect.arrayContaining(['name', 'models']),
            properties: expect.objectContaining({
              maxBudget: expect.objectContaining({ type: 'number' }),
              expiresInDays: expect.objectContaining({ type: 'integer' }),
            }),
          },
          output: {
            properties: expect.objectContaining({
              revealUrl: expect.objectContaining({ type: 'string' }),
            }),
          },
        },
        examples: expect.arrayContaining([
          expect.objectContaining({
            example: expect.stringContaining('litemaas:key:create'),
          }),
        ]),
      });
      expect(
        byId['litemaas:subscription:ensure'].schema.input.properties.onPending,
      ).toMatchObject({ enum: ['fail', 'continue'] });
    });

    it('dry-runs through the scaffolder API without creating anything', async () => {
      const res = await request(backend.server)
        .post('/api/scaffolder/v2/dry-run')
        .set('Authorization', as(BOB))
        .send({
          template,
          values,
          directoryContents: [
            {
              path: 'content/catalog-info.yaml',
              base64Content: fs
                .readFileSync(
                  path.join(TEMPLATE_DIR, 'content/catalog-info.yaml'),
                )
                .toString('base64'),
            },
          ],
        });
      expect(res.status).toBe(200);
      const log = JSON.stringify(res.body.log);
      expect(log).toMatch(/Dry run: would subscribe group:default\/payments/);
      expect(log).toMatch(/Dry run: would create key 'invoice-bot'/);
      const info = res.body.directoryContents.find(
        (f: { path: string }) => f.path === 'catalog-info.yaml',
      );
      const entity = yaml.parse(
        Buffer.from(info.base64Content, 'base64').toString('utf8'),
      );
      expect(entity).toMatchObject({
        kind: 'Component',
        metadata: {
          name: 'invoice-bot',
          annotations: { 'litemaas.io/models': 'gpt-4o' },
        },
        spec: { owner: PAYMENTS },
      });
      expect(managedLiteLLMKeys(backend)).toHaveLength(0);
      const subs = await request(backend.server)
        .get('/api/litemaas/subscriptions')
        .set('Authorization', as(BOB));
      expect(subs.body.items).toEqual([]);
    });

    it('runs for real: subscribes, mints the team key, and reveals its secret once', async () => {
      const created = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', as(BOB))
        .send({ templateRef: 'template:default/llm-service', values });
      expect(created.status).toBe(201);
      const taskId = created.body.id;

      const task = await runToEnd(taskId);
      const events = await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set('Authorization', as(BOB));
      expect({ status: task.status, events: events.body.length }).toMatchObject(
        {
          status: 'completed',
        },
      );

      // The task's output comes with its completion event.
      const completion = events.body.find(
        (e: { type: string }) => e.type === 'completion',
      );
      const output = completion.body.output;
      const revealLink = output.links.find(
        (l: { title: string }) => l.title === 'Reveal the API key (once)',
      );
      // The link opens the portal's reveal page, which reads the token through the API.
      expect(revealLink.url).toMatch(/\/litemaas\/reveal\/[A-Za-z0-9_-]+$/);
      expect(revealLink.url).not.toContain('/api/');
      const token = revealLink.url.split('/').pop();
      expect(output.text[0].content).toContain(`/api/litemaas/reveal/${token}`);
      expect(output.text[0].content).toMatch(
        /Key \*\*sk-\.\.\.[\w-]+\*\*.*belongs to `group:default\/payments`/s,
      );

      // The key is the team's, created by bob through the scaffolder.
      const keys = await request(backend.server)
        .get('/api/litemaas/keys')
        .set('Authorization', as(CAROL));
      expect(keys.body.items).toEqual([
        expect.objectContaining({
          name: 'invoice-bot',
          ownerRef: PAYMENTS,
          createdBy: BOB,
          models: ['gpt-4o'],
          maxBudget: 20,
          rpmLimit: 30,
          metadata: expect.objectContaining({
            'backstage.component': 'component:default/invoice-bot',
            'backstage.scaffolder-task': taskId,
            'backstage.template': 'template:default/llm-service',
          }),
        }),
      ]);

      // Someone outside the team cannot; the initiator can, once.
      const revealPath = `/api/litemaas/reveal/${token}`;
      const outsider = await request(backend.server)
        .get(revealPath)
        .set('Authorization', as(MALLORY));
      expect(outsider.status).toBe(404);
      const first = await request(backend.server)
        .get(revealPath)
        .set('Authorization', as(BOB));
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      const secret: string = first.body.secret;
      expect(await chatStatus(backend, secret, 'gpt-4o')).toBe(200);
      const second = await request(backend.server)
        .get(revealPath)
        .set('Authorization', as(BOB));
      expect(second.status).toBe(404);

      // The secret is nowhere in the task: not in its output, events (logs), spec or state.
      const everything = JSON.stringify({ task, events: events.body });
      expect(everything).not.toContain(secret);
      expect(everything).not.toMatch(SECRET_PATTERN);
      expect(JSON.stringify(events.body)).toMatch(
        /Created key 'invoice-bot' \(sk-\.\.\./,
      );
    });

    it('fails part-way with LiteMaaS unreachable after the subscription step, leaving nothing half-done', async () => {
      const keysBefore = managedLiteLLMKeys(backend).length;
      const revealsBefore = await reveals();
      // LiteMaaS goes down between the two steps: the subscription call still reaches
      // it, the key call meets a refused connection (what fetch reports for a backend
      // that is not listening).
      const realFetch = globalThis.fetch;
      let refused = 0;
      const down = jest
        .spyOn(globalThis, 'fetch')
        .mockImplementation((input, init) => {
          const url = String(input instanceof Request ? input.url : input);
          if (
            /\/api\/litemaas\/keys$/.test(new URL(url).pathname) &&
            (init?.method ?? 'GET').toUpperCase() === 'POST'
          ) {
            refused += 1;
            return Promise.reject(
              new TypeError('fetch failed', {
                cause: Object.assign(
                  new Error('connect ECONNREFUSED 127.0.0.1:7007'),
                  { code: 'ECONNREFUSED' },
                ),
              }),
            );
          }
          return realFetch(input, init);
        });
      let task: any;
      let events: unknown[];
      try {
        ({ task, events } = await runTemplate('audit-bot'));
      } finally {
        down.mockRestore();
      }
      // The refused call was really made: the key step did try to reach LiteMaaS.
      expect(refused).toBeGreaterThan(0);

      expect(task.status).toBe('failed');
      const log = JSON.stringify(events);
      expect(log).toContain('group:default/payments → gpt-4o: active');
      expect(log).toContain(
        "LiteMaaS could not be reached to create key 'audit-bot' for group:default/payments (ECONNREFUSED); nothing was created by this step, and the step can be retried",
      );
      // Nothing half-done: no key in LiteLLM, no key row at all, no reveal.
      expect(managedLiteLLMKeys(backend)).toHaveLength(keysBefore);
      expect(
        await backend.knex('litemaas_keys').where({ name: 'audit-bot' }),
      ).toEqual([]);
      expect(await reveals()).toBe(revealsBefore);
    });

    it('fails part-way with LiteLLM down after the subscription step, leaving nothing half-done', async () => {
      const keysBefore = managedLiteLLMKeys(backend).length;
      const revealsBefore = await reveals();
      backend.emulator.injectFault({ path: '/key/generate', status: 500 });
      let task: any;
      let events: unknown[];
      try {
        ({ task, events } = await runTemplate('ledger-bot'));
      } finally {
        backend.emulator.clearFaults();
      }

      // The subscription step ran, the key step failed with LiteMaaS's clear 503.
      expect(task.status).toBe('failed');
      const log = JSON.stringify(events);
      expect(log).toContain('group:default/payments → gpt-4o: active');
      expect(log).toMatch(
        /LiteMaaS refused to create key 'ledger-bot' for group:default\/payments: 503 .*LiteLLM.*the step can be retried/,
      );
      // Nothing half-done: no key in LiteLLM, no live or pending row, no reveal, and
      // the failed attempt is recorded as failed.
      expect(managedLiteLLMKeys(backend)).toHaveLength(keysBefore);
      const rows = await backend
        .knex('litemaas_keys')
        .where({ name: 'ledger-bot' })
        .select('status');
      expect(rows.map(r => r.status)).toEqual(['failed']);
      const keys = await request(backend.server)
        .get('/api/litemaas/keys')
        .set('Authorization', as(CAROL));
      expect(
        keys.body.items.map((k: { name: string }) => k.name),
      ).not.toContain('ledger-bot');
      expect(await reveals()).toBe(revealsBefore);
    });
  },
);
