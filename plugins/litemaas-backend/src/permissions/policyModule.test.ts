import {
  litemaasKeyDeletePermission,
  litemaasKeyReadPermission,
} from '@litemaas/backstage-plugin-litemaas-common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  createTestDatabases,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
  testCatalog,
} from '../testUtils';
import { subscribe } from '../routes/__testUtils__/keyTestUtils';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice'; // member of the default admin group
const BOB = 'user:default/bob'; // payments
const CAROL = 'user:default/carol'; // payments
const MALLORY = 'user:default/mallory'; // outsiders
const MODEL = 'gpt-4o-mini';

// The test backend runs the real permission backend with the portal's policy module
// (permissionModuleLiteMaaSPolicy): these tests ask it directly, as other plugins and
// the frontend do, so the policy, its config and the key rules are those of production.
describe('the portal permission policy, through the permission backend', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function authorize(
    as: string,
    items: Array<{ permission: object; resourceRef?: string }>,
  ): Promise<string[]> {
    const res = await request(backend!.server)
      .post('/api/permission/authorize')
      .set('Authorization', backend!.as(as))
      .send({ items: items.map((item, i) => ({ id: String(i), ...item })) });
    expect(res.status).toBe(200);
    return res.body.items.map((d: { result: string }) => d.result);
  }

  it.each(databases.eachSupportedId())(
    'decides key permissions by ownership through the plugin rules, on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        features: [testCatalog()],
      });
      await subscribe(backend.knex, BOB, [MODEL]);
      await subscribe(backend.knex, 'group:default/payments', [MODEL]);
      // A group owns keys once an admin made it a LiteMaaS team.
      expect(
        (
          await request(backend.server)
            .post('/api/litemaas/admin/teams')
            .set('Authorization', backend.as(ALICE))
            .send({ group: 'group:default/payments' })
        ).status,
      ).toBe(201);
      const create = (owner?: string) =>
        request(backend!.server)
          .post('/api/litemaas/keys')
          .set('Authorization', backend!.as(BOB))
          .send({ name: 'k', models: [MODEL], ...(owner ? { owner } : {}) });
      const own = await create();
      expect(own.status).toBe(201);
      const team = await create('group:default/payments');
      expect(team.status).toBe(201);

      // The permission backend asks the LiteMaaS plugin to apply IS_KEY_OWNER to the
      // stored key (the registry's apply-conditions endpoint and getResources).
      const onKeys = (permission: object) => [
        { permission, resourceRef: own.body.id },
        { permission, resourceRef: team.body.id },
        { permission, resourceRef: randomUUID() },
      ];
      expect(await authorize(BOB, onKeys(litemaasKeyReadPermission))).toEqual([
        'ALLOW',
        'ALLOW',
        'DENY',
      ]);
      expect(
        await authorize(CAROL, onKeys(litemaasKeyDeletePermission)),
      ).toEqual(['DENY', 'ALLOW', 'DENY']);
      expect(
        await authorize(MALLORY, onKeys(litemaasKeyReadPermission)),
      ).toEqual(['DENY', 'DENY', 'DENY']);
      expect(await authorize(ALICE, onKeys(litemaasKeyReadPermission))).toEqual(
        ['ALLOW', 'ALLOW', 'ALLOW'],
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'makes the members of litemaas.adminGroups the admins, on %p',
    async databaseId => {
      backend = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        config: { adminGroups: ['group:default/payments'] },
      });
      const audit = (as: string) =>
        request(backend!.server)
          .get('/api/litemaas/admin/audit')
          .set('Authorization', backend!.as(as));
      expect((await audit(BOB)).status).toBe(200);
      expect((await audit(CAROL)).status).toBe(200);
      const alice = await audit(ALICE);
      expect(alice.status).toBe(403);
      expect(alice.body.error.message).toBe(
        'You are not allowed to do this (litemaas.audit.read)',
      );
    },
  );
});
