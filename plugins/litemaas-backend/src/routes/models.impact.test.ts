import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import {
  capturingNotificationService,
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '../testUtils';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const GRANITE = 'ibm-granite/granite-3.1-8b-instruct';

const component = (name: string, owner: string, models: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    title: name,
    annotations: { 'litemaas.io/models': models },
  },
  spec: { type: 'service', lifecycle: 'production', owner },
});

describe('impact before change: who uses a model, and telling them', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;
  let sent: NotificationSendOptions[] = [];

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start(databaseId: Parameters<typeof databases.init>[0]) {
    sent = [];
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId,
      features: [
        catalogServiceMock.factory({
          entities: [
            component('invoice-assistant', 'payments', `gpt-4o, ${GRANITE}`),
            component('chat-ui', 'group:default/web', 'gpt-4o-mini'),
            component('no-llm', 'payments', ''),
          ],
        }),
        capturingNotificationService(sent),
      ],
    });
    const b = backend;
    const as = (r: request.Test, user = ALICE) =>
      r.set('Authorization', b.as(user));
    expect(
      (await as(request(b.server).post('/api/litemaas/admin/models/sync')))
        .status,
    ).toBe(200);
    return { b, as };
  }

  it.each(databases.eachSupportedId())(
    'lists the consumers on the model page and tells their owners once of a deprecation, on %p',
    async databaseId => {
      const { b, as } = await start(databaseId);
      const model = await as(
        request(b.server).get(`/api/litemaas/models/${GRANITE}`),
        'user:default/bob',
      );
      expect(model.body.consumers).toEqual([
        {
          entityRef: 'component:default/invoice-assistant',
          title: 'invoice-assistant',
          ownerRef: 'group:default/payments',
        },
      ]);

      const deprecate = () =>
        as(
          request(b.server)
            .patch(`/api/litemaas/admin/models/${GRANITE}`)
            .send({
              deprecated: true,
              replacementModelId: 'gpt-4o-mini',
              deprecationDate: '2027-01-31T00:00:00.000Z',
            }),
        );
      expect((await deprecate()).status).toBe(200);
      expect(sent).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: 'group:default/payments',
          },
          payload: expect.objectContaining({
            title: `Model ${GRANITE} is deprecated`,
            description: expect.stringMatching(
              /invoice-assistant declares it .*Use gpt-4o-mini instead\. It goes away on 2027-01-31\./,
            ),
            link: `/litemaas/models/${encodeURIComponent(GRANITE)}`,
          }),
        },
      ]);
      // Saying it again is no new change: nobody is told twice.
      expect((await deprecate()).status).toBe(200);
      expect(sent).toHaveLength(1);
    },
  );

  it('tells the owners when LiteLLM stops serving a model', async () => {
    const { b, as } = await start('SQLITE_3');
    const upstream = (
      await (
        await fetch(`${b.emulator.url}/model/info`, {
          headers: { authorization: `Bearer ${b.emulator.masterKey}` },
        })
      ).json()
    ).data as Array<{ model_name: string }>;
    b.emulator.injectFault({
      path: '/model/info',
      method: 'GET',
      status: 200,
      body: { data: upstream.filter(m => m.model_name !== 'gpt-4o-mini') },
    });
    const sync = await as(
      request(b.server).post('/api/litemaas/admin/models/sync'),
    );
    expect(sync.body.unavailable).toBe(1);
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: 'group:default/web' },
        payload: expect.objectContaining({
          title: 'Model gpt-4o-mini is no longer served',
        }),
      },
    ]);
  });
});
