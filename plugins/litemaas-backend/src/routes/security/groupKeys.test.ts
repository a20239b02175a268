import { KeyStore } from '../../database/KeyStore';
import { createTestDatabases, managedLiteLLMKeys } from '../../testUtils';
import {
  ALICE,
  BOB,
  CAROL,
  dbKey,
  GPT4O,
  litellmKey,
  MINI,
  PAYMENTS,
  SecurityBackend,
  startSecurityBackend,
  subscribeVia,
} from '../__testUtils__/securityBackend';

jest.setTimeout(120_000);

const enc = encodeURIComponent;

describe('item 3: limits do not escape through group keys', () => {
  const databases = createTestDatabases();
  let b: SecurityBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    b = undefined;
  });

  it.each(databases.eachSupportedId())(
    'item 3: a group that is not a LiteMaaS team owns no key; once enabled its keys carry the team_id and the creator’s maximums, on %p',
    async databaseId => {
      b = await startSecurityBackend(databases, databaseId);
      // An admin caps Bob; Bob subscribes his group to an open model.
      expect(
        (
          await b.call('patch', `/admin/users/${enc(BOB)}`, ALICE, {
            maxBudget: 5,
            tpmLimit: 1000,
            rpmLimit: 10,
            maxKeys: 2,
          })
        ).status,
      ).toBe(200);
      await subscribeVia(b, BOB, [MINI], PAYMENTS);

      const refused = await b.call('post', '/keys', BOB, {
        name: 'escape',
        models: [MINI],
        owner: PAYMENTS,
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/not a LiteMaaS team/);
      expect(managedLiteLLMKeys(b)).toHaveLength(0);
      expect(
        Number((await b.knex('litemaas_keys').count({ n: '*' }))[0].n),
      ).toBe(0);

      expect(
        (await b.call('post', '/admin/teams', ALICE, { group: PAYMENTS }))
          .status,
      ).toBe(201);

      // Asking for more than his own limits is refused with the reason.
      const tooMuch = await b.call('post', '/keys', BOB, {
        name: 'big',
        models: [MINI],
        owner: PAYMENTS,
        maxBudget: 50,
      });
      expect(tooMuch.status).toBe(400);
      expect(tooMuch.body.error.message).toMatch(/above your own limit of 5/);

      // Left out, the limits are his own: the key is bounded and in the team.
      const created = await b.call('post', '/keys', BOB, {
        name: 'team key',
        models: [MINI],
        owner: PAYMENTS,
      });
      expect(created.status).toBe(201);
      const inLiteLLM = litellmKey(b, created.body.litellmKeyHash)!;
      expect(inLiteLLM.team_id).toBe(PAYMENTS);
      expect(inLiteLLM.user_id ?? null).toBeNull();
      expect(inLiteLLM.models).toEqual([MINI]);
      expect(inLiteLLM.max_budget).toBe(5);
      expect(inLiteLLM.tpm_limit).toBe(1000);
      expect(inLiteLLM.rpm_limit).toBe(10);
      const row = await dbKey(b, created.body.id);
      expect(Number(row.max_budget)).toBe(5);
      expect(row.created_by).toBe(BOB);

      // Raising the key's budget past his limits later is refused too.
      const raised = await b.call('patch', `/keys/${created.body.id}`, BOB, {
        maxBudget: 500,
      });
      expect(raised.status).toBe(400);
      expect(litellmKey(b, created.body.litellmKeyHash)!.max_budget).toBe(5);

      // His key limit counts the keys he minted for the team with his own.
      await subscribeVia(b, BOB, [MINI]);
      expect(
        (await b.call('post', '/keys', BOB, { name: 'own', models: [MINI] }))
          .status,
      ).toBe(201);
      const third = await b.call('post', '/keys', BOB, {
        name: 'third',
        models: [MINI],
        owner: PAYMENTS,
      });
      expect(third.status).toBe(409);
      expect(third.body.error.message).toMatch(/maximum is 2/);
      // Carol, not capped, still mints for the team.
      expect(
        (
          await b.call('post', '/keys', CAROL, {
            name: 'carol',
            models: [MINI],
            owner: PAYMENTS,
          })
        ).status,
      ).toBe(201);
      expect(managedLiteLLMKeys(b)).toHaveLength(3);
    },
  );

  it.each(databases.eachSupportedId())(
    'item 3: enabling a group attaches its existing keys to the LiteLLM team, and narrowing the team’s models narrows them, on %p',
    async databaseId => {
      b = await startSecurityBackend(databases, databaseId);
      await subscribeVia(b, BOB, [MINI, GPT4O], PAYMENTS);
      // A key the group owned before it had to be a team (minted before this rule).
      const legacy = await legacyGroupKey(b, [MINI, GPT4O]);
      expect(litellmKey(b, legacy.hash)!.team_id ?? null).toBeNull();

      const enabled = await b.call('post', '/admin/teams', ALICE, {
        group: PAYMENTS,
      });
      expect(enabled.status).toBe(201);
      expect(litellmKey(b, legacy.hash)!.team_id).toBe(PAYMENTS);

      const minted = await b.call('post', '/keys', CAROL, {
        name: 'new',
        models: [MINI, GPT4O],
        owner: PAYMENTS,
      });
      expect(minted.status).toBe(201);

      const narrowed = await b.call(
        'patch',
        `/admin/teams/${enc(PAYMENTS)}`,
        ALICE,
        { allowedModels: [MINI] },
      );
      expect(narrowed.status).toBe(200);
      for (const [id, hash] of [
        [legacy.id, legacy.hash],
        [minted.body.id, minted.body.litellmKeyHash],
      ]) {
        expect(litellmKey(b, hash)!.models).toEqual([MINI]);
        expect(litellmKey(b, hash)!.team_id).toBe(PAYMENTS);
        expect((await dbKey(b, id)).models).toEqual([MINI]);
      }
      // A key asking for a model the team no longer allows is refused.
      const outside = await b.call('post', '/keys', CAROL, {
        name: 'outside',
        models: [GPT4O],
        owner: PAYMENTS,
      });
      expect(outside.status).toBe(400);
      expect(outside.body.error.message).toMatch(/does not allow: gpt-4o/);
    },
  );
});

/** A group key as minted before groups had to be teams: in LiteLLM without a team. */
async function legacyGroupKey(b: SecurityBackend, models: string[]) {
  const store = new KeyStore(b.knex);
  const pending = await store.createPending({
    ownerRef: PAYMENTS,
    createdBy: BOB,
    name: 'legacy',
    models,
    maxBudget: null,
    budgetDuration: null,
    tpmLimit: null,
    rpmLimit: null,
    expiresAt: null,
  });
  const res = await fetch(`${b.emulator.url}/key/generate`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${b.emulator.masterKey}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      key_alias: pending.litellmAlias,
      models,
      metadata: {
        managed_by: 'litemaas-backstage',
        litemaas_key_id: pending.id,
        litemaas_owner: PAYMENTS,
      },
    }),
  });
  expect(res.status).toBe(200);
  const generated = (await res.json()) as { token: string };
  await store.activate(pending.id, {
    keyHash: generated.token,
    displayName: 'sk-...lgcy',
  });
  return { id: pending.id, hash: generated.token };
}
