import { chatStatus, managedLiteLLMKeys } from '../../testUtils';
import {
  BOB,
  dbKey,
  litellmKey,
  MINI,
  securityBackendPerTest,
  subscribeVia,
} from '../__testUtils__/securityBackend';

jest.setTimeout(120_000);

const PARALLEL = 8;
const HOUR = 3600;

describe('item 1: rotation is exclusive', () => {
  const backends = securityBackendPerTest();
  const { databases } = backends;

  async function createKey(name: string) {
    const res = await backends.current.call('post', '/keys', BOB, {
      name,
      models: [MINI],
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; litellmKeyHash: string; secret: string };
  }

  const rotate = (id: string, gracePeriodSeconds: number) =>
    backends.current.call('post', `/keys/${id}/rotate`, BOB, {
      gracePeriodSeconds,
    });

  it.each(databases.eachSupportedId())(
    `item 1: exactly one of ${PARALLEL} concurrent rotations wins, its successor keeps the spend, and the rotated key cannot be rotated again, on %p`,
    async databaseId => {
      const b = await backends.start(databaseId, {
        config: { keys: { maximums: { keysPerOwner: 5 } } },
      });
      await subscribeVia(b, BOB, [MINI]);
      const old = await createKey('rotate me');
      // Some spend in the current budget period.
      expect(await chatStatus(b, old.secret, MINI)).toBe(200);
      expect(await chatStatus(b, old.secret, MINI)).toBe(200);
      const spent = litellmKey(b, old.litellmKeyHash)!.spend;
      expect(spent).toBeGreaterThan(0);

      // LiteLLM answers slowly, so all rotations are in flight together.
      b.emulator.injectFault({
        path: '/key/generate',
        latencyMs: 500,
        times: PARALLEL,
      });
      const answers = await Promise.all(
        Array.from({ length: PARALLEL }, () => rotate(old.id, HOUR)),
      );
      const statuses = answers.map(res => res.status).sort();
      expect(statuses).toEqual([201, ...Array(PARALLEL - 1).fill(409)]);
      for (const res of answers.filter(r => r.status === 409)) {
        expect(res.body.error.message).toMatch(/already (being )?rotated/);
        expect(res.text).not.toMatch(/sk-[A-Za-z0-9_-]{12,}/);
      }
      const winner = answers.find(res => res.status === 201)!.body;

      // LiteLLM: the old key (in its grace period) and one successor, nothing else.
      const inLiteLLM = managedLiteLLMKeys(b);
      expect(inLiteLLM.map(k => k.token).sort()).toEqual(
        [old.litellmKeyHash, winner.litellmKeyHash].sort(),
      );
      expect(await chatStatus(b, winner.secret, MINI)).toBe(200);
      expect(await chatStatus(b, old.secret, MINI)).toBe(200);
      // The successor carries the spend of the current budget period.
      const successor = litellmKey(b, winner.litellmKeyHash)!;
      expect(successor.spend).toBeGreaterThanOrEqual(spent);

      // The database: one successor, the old key in its grace period.
      const rows = await b.knex('litemaas_keys').select('id');
      expect(rows.map(r => r.id).sort()).toEqual([old.id, winner.id].sort());
      expect(await dbKey(b, winner.id)).toMatchObject({
        status: 'active',
        rotated_from_key_id: old.id,
      });
      const oldRow = await dbKey(b, old.id);
      expect(oldRow.status).toBe('active');
      expect(oldRow.grace_expires_at).not.toBeNull();

      // A key already rotated cannot be rotated again, with or without grace.
      for (const grace of [HOUR, 0]) {
        const again = await rotate(old.id, grace);
        expect(again.status).toBe(409);
      }
      expect(managedLiteLLMKeys(b)).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'item 1: a rotation counts against the owner key limit, keys in grace included, on %p',
    async databaseId => {
      const b = await backends.start(databaseId, {
        config: { keys: { maximums: { keysPerOwner: 2 } } },
      });
      await subscribeVia(b, BOB, [MINI]);
      const first = await createKey('first');
      const second = await rotate(first.id, HOUR);
      expect(second.status).toBe(201);

      // The first key in grace and the second make two: no room for a third.
      const chained = await rotate(second.body.id, HOUR);
      expect(chained.status).toBe(409);
      expect(chained.body.error.message).toMatch(/maximum is 2/);
      const created = await b.call('post', '/keys', BOB, {
        name: 'third',
        models: [MINI],
      });
      expect(created.status).toBe(409);
      expect(managedLiteLLMKeys(b)).toHaveLength(2);
      expect(await dbKey(b, second.body.id)).toMatchObject({
        status: 'active',
        grace_expires_at: null,
      });
      // The refused rotation left the key rotatable: without a grace period the key is
      // replaced at once, so it needs no room.
      const replaced = await rotate(second.body.id, 0);
      expect(replaced.status).toBe(201);
      expect(await dbKey(b, second.body.id)).toMatchObject({
        status: 'revoked',
      });
      expect(litellmKey(b, second.body.litellmKeyHash)).toBeUndefined();
      expect(managedLiteLLMKeys(b)).toHaveLength(2);
      expect(await chatStatus(b, replaced.body.secret, MINI)).toBe(200);
    },
  );
});
