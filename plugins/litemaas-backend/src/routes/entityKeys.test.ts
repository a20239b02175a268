import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  ALICE,
  BOB,
  CAROL,
  createTestDatabases,
  LiteMaaSTestBackend,
  MALLORY,
  managedLiteLLMKeys,
  OUTSIDERS,
  PAYMENTS,
  SECRET_PATTERN,
  startLiteMaaSTestBackend,
  testOrganizationGroups,
} from '../testUtils';
import { subscribe } from './__testUtils__/keyTestUtils';

jest.setTimeout(90_000);

const MINI = 'gpt-4o-mini';
const LLAMA = 'llama3.2:3b';
const SHOP = 'component:default/shop';
const BILLING = 'system:default/billing';
const enc = encodeURIComponent;

function entity(kind: string, name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: { owner, type: 'service', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

/**
 * The test organization's catalog with a few owned entities; `failing` makes every
 * lookup fail as an unreachable catalog would.
 */
function catalogWith(entities: Entity[]) {
  const state = { failing: false };
  const mock = catalogServiceMock({
    entities: [...testOrganizationGroups(), ...entities],
  });
  const factory = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      new Proxy(mock, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop !== 'getEntityByRef' || typeof value !== 'function') {
            return value;
          }
          return (...args: unknown[]) => {
            if (state.failing) {
              return Promise.reject(new Error('connect ECONNREFUSED catalog'));
            }
            return value.apply(target, args);
          };
        },
      }),
  });
  return { factory, state };
}

describe('keys owned by a catalog component or system', () => {
  const databases = createTestDatabases();
  let b: LiteMaaSTestBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    b = undefined;
  });

  it.each(databases.eachSupportedId())(
    'members of the owner group mint them in its team; others, unknown or wrong-kind entities and a failing catalog are refused, on %p',
    async databaseId => {
      const catalog = catalogWith([
        entity('Component', 'shop', PAYMENTS),
        entity('System', 'billing', PAYMENTS),
        entity('Component', 'lonely', BOB),
        entity('Component', 'outside', OUTSIDERS),
      ]);
      b = await startLiteMaaSTestBackend({
        databases,
        databaseId,
        features: [catalog.factory],
      });
      const backend = b;
      const call = (
        method: 'get' | 'post' | 'patch',
        path: string,
        as: string,
        body?: object,
      ) => {
        const req = request(backend.server)
          [method](`/api/litemaas${path}`)
          .set('Authorization', backend.as(as));
        return body ? req.send(body) : req;
      };
      const mint = (as: string, owner: string, models = [MINI]) =>
        call('post', '/keys', as, { name: 'svc', models, owner });

      expect(
        (await call('post', '/admin/teams', ALICE, { group: PAYMENTS })).status,
      ).toBe(201);
      await subscribe(b.knex, PAYMENTS, [MINI, LLAMA]);
      await subscribe(b.knex, OUTSIDERS, [MINI]);

      // A member of the owner group: the key belongs to the component, in the team.
      const shop = await mint(BOB, SHOP);
      expect(shop.status).toBe(201);
      expect(shop.body).toMatchObject({
        ownerRef: SHOP,
        teamRef: PAYMENTS,
        createdBy: BOB,
        models: [MINI],
      });
      const inLiteLLM = b.emulator.state.keys.get(shop.body.litellmKeyHash)!;
      expect(inLiteLLM.team_id).toBe(PAYMENTS);
      expect(inLiteLLM.user_id ?? null).toBeNull();
      expect(inLiteLLM.models).toEqual([MINI]);
      expect(inLiteLLM.metadata?.litemaas_owner).toBe(SHOP);
      const row = await b.knex('litemaas_keys').where({ id: shop.body.id });
      expect(row[0]).toMatchObject({ owner_ref: SHOP, team_ref: PAYMENTS });
      expect(JSON.stringify(row)).not.toMatch(SECRET_PATTERN);

      const billing = await mint(CAROL, BILLING, [LLAMA]);
      expect(billing.status).toBe(201);
      expect(billing.body.teamRef).toBe(PAYMENTS);

      // Other members see and manage them; outsiders do not learn they exist.
      const listed = await call('get', '/keys', CAROL);
      expect(listed.body.items.map((k: any) => k.id).sort()).toEqual(
        [shop.body.id, billing.body.id].sort(),
      );
      expect((await call('get', `/keys/${shop.body.id}`, CAROL)).status).toBe(
        200,
      );
      expect((await call('get', `/keys/${shop.body.id}`, MALLORY)).status).toBe(
        404,
      );
      expect((await call('get', '/keys', MALLORY)).body.items).toEqual([]);

      // Refusals, each with its reason, and nothing minted.
      const before = managedLiteLLMKeys(b).length;
      const nonMember = await mint(MALLORY, SHOP);
      expect(nonMember.status).toBe(403);
      expect(nonMember.body.error.message).toMatch(
        /Only members of group:default\/payments/,
      );
      const unknown = await mint(BOB, 'component:default/ghost');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/not found in the catalog/);
      const userOwned = await mint(BOB, 'component:default/lonely');
      expect(userOwned.status).toBe(400);
      expect(userOwned.body.error.message).toMatch(/not owned by a group/);
      const wrongKind = await mint(BOB, 'resource:default/db');
      expect(wrongKind.status).toBe(400);
      // Outsiders own "outside", but their group is not a LiteMaaS team.
      const noTeam = await mint(MALLORY, 'component:default/outside');
      expect(noTeam.status).toBe(409);
      expect(noTeam.body.error.message).toMatch(/not a LiteMaaS team/);

      catalog.state.failing = true;
      const down = await mint(BOB, SHOP);
      expect(down.status).toBe(503);
      expect(down.body.error.message).toMatch(
        /catalog could not be asked who owns component:default\/shop/,
      );
      catalog.state.failing = false;
      expect(managedLiteLLMKeys(b)).toHaveLength(before);

      // The team's models bound the component's key: narrowing them narrows it.
      const narrowed = await call(
        'patch',
        `/admin/teams/${enc(PAYMENTS)}`,
        ALICE,
        { allowedModels: [MINI] },
      );
      expect(narrowed.status).toBe(200);
      expect(
        b.emulator.state.keys.get(shop.body.litellmKeyHash)!.models,
      ).toEqual([MINI]);
      expect(
        b.emulator.state.keys.get(billing.body.litellmKeyHash)!.blocked,
      ).toBe(true);
    },
  );
});
