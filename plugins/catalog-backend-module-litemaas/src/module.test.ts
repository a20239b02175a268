import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import type { Model } from '@litemaas/backstage-plugin-litemaas-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import path from 'node:path';
import request from 'supertest';
import {
  createTestDatabases,
  emulatorDefaultModels,
  modelsResponse,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import { modelEntityName } from './entities/entityName';
import { catalogModuleLitemaas } from './module';

// Starting a catalog runs its ~60 migrations on a fresh database; on a loaded CI machine
// running the whole suite that alone can take a minute on PostgreSQL.
jest.setTimeout(240_000);

const EXAMPLES = path.resolve(__dirname, '../../../examples/entities.yaml');
const TASK_ID = 'LiteMaaSEntityProvider:refresh';

/** The LiteMaaS backend's REST API, as msw serves it; everything else goes through. */
const litemaas = setupServer();
let models: Model[] | 'down' = [];
const authorizations: (string | null)[] = [];

// The catalog's own API (supertest) goes through; a LiteMaaS request this test does not
// serve is an error, never a real connection to whatever listens (or not) there.
beforeAll(() =>
  litemaas.listen({
    onUnhandledRequest: (req, print) => {
      if (new URL(req.url).pathname.startsWith('/api/litemaas')) print.error();
    },
  }),
);
afterAll(() => litemaas.close());
afterEach(() => litemaas.resetHandlers());
beforeEach(() => {
  // Each engine's run starts from scratch: what one run saw must not satisfy the next.
  models = emulatorDefaultModels();
  authorizations.length = 0;
  litemaas.use(
    http.get('*/api/litemaas/models', ({ request: req }) => {
      authorizations.push(req.headers.get('authorization'));
      if (models === 'down') {
        return HttpResponse.json(
          { error: { name: 'ServiceUnavailableError', message: 'down' } },
          { status: 503 },
        );
      }
      return HttpResponse.json(modelsResponse(models));
    }),
    http.get('*/api/litemaas/config', () =>
      HttpResponse.json({ publicBaseUrl: 'http://localhost:4000' }),
    ),
  );
});

/** Polls until `done`; the catalog processes entities asynchronously. */
async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out; last value: ${JSON.stringify(value).slice(0, 2000)}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
    value = await read();
  }
  return value;
}

describe('catalogModuleLitemaas in a real catalog backend', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'publishes the models, relates the example component and follows removals, on %p',
    async databaseId => {
      // The catalog's scheduler (the test backend's mock one, whose triggerTask waits for
      // the run to finish), captured by a module of our own.
      let scheduler: SchedulerService | undefined;
      const captureScheduler = createBackendModule({
        pluginId: 'catalog',
        moduleId: 'test-scheduler',
        register(reg) {
          reg.registerInit({
            deps: { s: coreServices.scheduler },
            async init({ s }) {
              scheduler = s;
            },
          });
        },
      });
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleLitemaas,
          captureScheduler,
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              catalog: {
                rules: [
                  {
                    allow: [
                      'Component',
                      'System',
                      'API',
                      'Resource',
                      'Location',
                    ],
                  },
                ],
                locations: [{ type: 'file', target: EXAMPLES }],
              },
            },
          }),
        ],
      });
      const server = backend.server;
      try {
        const resources = () =>
          request(server)
            .get('/api/catalog/entities?filter=kind=resource')
            .then(r => {
              expect(r.status).toBe(200);
              return r.body as Entity[];
            });
        const entity = (ref: string) =>
          request(server)
            .get(`/api/catalog/entities/by-name/${ref}`)
            .then(r => (r.status === 200 ? (r.body as Entity) : undefined));

        // The sync ran on startup; the catalog processes the entities asynchronously.
        const published = await until(
          resources,
          list => list.length === models.length,
        );
        expect(published.map(e => e.metadata.title).sort()).toEqual(
          (models as Model[]).map(m => m.id).sort(),
        );
        expect(authorizations[0]).toBe(
          `Bearer ${mockCredentials.service.token({
            onBehalfOf: mockCredentials.service('plugin:catalog'),
            targetPluginId: 'litemaas',
          })}`,
        );
        const granite = modelEntityName('ibm-granite/granite-3.1-8b-instruct');
        const graniteEntity = published.find(e => e.metadata.name === granite)!;
        expect(graniteEntity.spec).toMatchObject({
          type: 'ai-model',
          owner: 'group:default/platform-team',
        });

        // The example component declares gpt-4o and granite: relations both ways.
        const component = await until(
          () => entity('component/default/invoice-assistant'),
          c =>
            (c?.relations ?? []).filter(r => r.type === 'dependsOn').length ===
            2,
        );
        expect(
          component!
            .relations!.filter(r => r.type === 'dependsOn')
            .map(r => r.targetRef)
            .sort(),
        ).toEqual(
          ['resource:default/gpt-4o', `resource:default/${granite}`].sort(),
        );
        const docsSearch = await until(
          () => entity('component/default/payments-docs-search'),
          c =>
            (c?.relations ?? []).filter(r => r.type === 'dependsOn').length ===
            2,
        );
        expect(
          docsSearch!
            .relations!.filter(r => r.type === 'dependsOn')
            .map(r => r.targetRef)
            .sort(),
        ).toEqual(
          [
            'resource:default/text-embedding-3-small',
            `resource:default/${modelEntityName('llama3.2:3b')}`,
          ].sort(),
        );
        const gpt = await until(
          () => entity('resource/default/gpt-4o'),
          e =>
            (e?.relations ?? []).some(
              r =>
                r.type === 'dependencyOf' &&
                r.targetRef === 'component:default/invoice-assistant',
            ),
        );
        expect(gpt!.relations).toEqual(
          expect.arrayContaining([
            {
              type: 'dependencyOf',
              targetRef: 'component:default/litemaas-gateway',
            },
            { type: 'ownedBy', targetRef: 'group:default/platform-team' },
          ]),
        );
        // The gateway lists every model; the API it provides names the base URL.
        await until(
          () => entity('component/default/litemaas-gateway'),
          e =>
            (e?.relations ?? []).filter(r => r.type === 'dependsOn').length ===
            models.length,
        );
        const api = await until(
          () => entity('api/default/litemaas-gateway'),
          e =>
            (e?.relations ?? []).some(
              r =>
                r.type === 'apiProvidedBy' &&
                r.targetRef === 'component:default/litemaas-gateway',
            ),
        );
        expect(api!.metadata.annotations!['litemaas.io/base-url']).toBe(
          'http://localhost:4000',
        );

        // A model that leaves LiteMaaS leaves the catalog on the next run.
        models = (models as Model[]).filter(m => m.id !== 'llama3.2:3b');
        await scheduler!.triggerTask(TASK_ID);
        const after = await until(
          resources,
          list => list.length === (models as Model[]).length,
        );
        expect(after.map(e => e.metadata.title)).not.toContain('llama3.2:3b');

        // The backend goes down: the run fails quietly and the catalog keeps the models.
        // triggerTask waits for the run, and a `full` mutation (which is what a wrongly
        // empty run would apply) removes entities before it returns: no waiting needed.
        const count = after.length;
        models = 'down';
        const calls = authorizations.length;
        await scheduler!.triggerTask(TASK_ID);
        expect(authorizations.length).toBe(calls + 1);
        expect(await resources()).toHaveLength(count);
      } finally {
        await backend.stop();
      }
    },
  );
});
