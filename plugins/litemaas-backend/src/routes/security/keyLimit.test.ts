import { managedLiteLLMKeys } from '../../testUtils';
import {
  BOB,
  MINI,
  securityBackendPerTest,
  subscribeVia,
} from '../__testUtils__/securityBackend';

jest.setTimeout(120_000);

const PARALLEL = 16;
const MAX_KEYS = 3;

describe('item 7: key limits hold under concurrency', () => {
  const backends = securityBackendPerTest();
  const { databases } = backends;

  it.each(databases.eachSupportedId())(
    `item 7: ${PARALLEL} concurrent POST /keys make exactly keysPerOwner keys, in LiteLLM and the database, on %p`,
    async databaseId => {
      const b = await backends.start(databaseId, {
        config: { keys: { maximums: { keysPerOwner: MAX_KEYS } } },
      });
      await subscribeVia(b, BOB, [MINI]);

      const answers = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          backends.current.call('post', '/keys', BOB, {
            name: `k${i}`,
            models: [MINI],
          }),
        ),
      );
      const statuses = answers.map(res => res.status).sort();
      expect(statuses).toEqual([
        ...Array(MAX_KEYS).fill(201),
        ...Array(PARALLEL - MAX_KEYS).fill(409),
      ]);
      for (const res of answers.filter(r => r.status === 409)) {
        expect(res.body.error.message).toMatch(
          `the maximum is ${MAX_KEYS} (keysPerOwner)`,
        );
      }
      const created = answers
        .filter(res => res.status === 201)
        .map(res => res.body.litellmKeyHash)
        .sort();

      // LiteLLM holds exactly the keys handed out; the database nothing more.
      expect(
        managedLiteLLMKeys(b)
          .map(k => k.token)
          .sort(),
      ).toEqual(created);
      const rows = await b.knex('litemaas_keys').where({ owner_ref: BOB });
      expect(rows).toHaveLength(MAX_KEYS);
      expect(rows.map(r => r.status)).toEqual(Array(MAX_KEYS).fill('active'));
      expect(rows.map(r => r.litellm_key_hash).sort()).toEqual(created);
    },
  );
});
