import { managedLiteLLMKeys, SECRET_PATTERN } from '../../testUtils';
import {
  BOB,
  CAROL,
  MINI,
  securityBackendPerTest,
  subscribeVia,
} from '../__testUtils__/securityBackend';

jest.setTimeout(120_000);

const PARALLEL = 8;
const DAY_MS = 86_400_000;
const REVEAL = { encryptionKey: 'test-reveal-passphrase-0123456789' };

describe('item 10: a retried create does not mint twice', () => {
  const backends = securityBackendPerTest();
  const { databases } = backends;

  const create = (body: object, idempotencyKey: string, as = BOB) =>
    backends.current.call('post', '/keys', as, body, {
      'Idempotency-Key': idempotencyKey,
    });

  it.each(databases.eachSupportedId())(
    'item 10: a repeated POST /keys with the same Idempotency-Key returns the same key without a second secret, per caller, for a day, on %p',
    async databaseId => {
      const b = await backends.start(databaseId);
      await subscribeVia(b, BOB, [MINI]);
      await subscribeVia(b, CAROL, [MINI]);
      const body = { name: 'ci', models: [MINI] };

      const first = await create(body, 'deploy-42');
      expect(first.status).toBe(201);
      expect(first.body.secret).toMatch(SECRET_PATTERN);

      const repeat = await create(body, 'deploy-42');
      expect(repeat.status).toBe(200);
      expect(repeat.headers['idempotency-replayed']).toBe('true');
      expect(repeat.body).toMatchObject({
        id: first.body.id,
        litellmKeyHash: first.body.litellmKeyHash,
        status: 'active',
      });
      expect(repeat.body.secret).toBeUndefined();
      expect(repeat.text).not.toMatch(SECRET_PATTERN);
      expect(managedLiteLLMKeys(b)).toHaveLength(1);
      expect(await b.knex('litemaas_keys')).toHaveLength(1);

      // Another body under the same key is a client error, not a second key.
      const other = await create({ ...body, name: 'other' }, 'deploy-42');
      expect(other.status).toBe(409);
      expect(other.body.error.message).toMatch(
        /Idempotency-Key 'deploy-42' was already used with a different request/,
      );
      // The key is the caller's: someone else's same key is their own request.
      const carols = await create(body, 'deploy-42', CAROL);
      expect(carols.status).toBe(201);
      expect(carols.body.id).not.toBe(first.body.id);
      // Bad header values are refused.
      const tooLong = await create(body, 'x'.repeat(256));
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toMatch(/idempotency-key/i);
      expect(managedLiteLLMKeys(b)).toHaveLength(2);

      // Nothing secret in the stored request.
      const stored = await b.knex('litemaas_idempotency_keys').select('*');
      expect(stored).toHaveLength(2);
      expect(JSON.stringify(stored)).not.toMatch(SECRET_PATTERN);

      // A day later the key is forgotten: the same header makes a new key.
      b.advanceClock(DAY_MS + 60_000);
      const nextDay = await create(body, 'deploy-42');
      expect(nextDay.status).toBe(201);
      expect(nextDay.body.id).not.toBe(first.body.id);
    },
  );

  it.each(databases.eachSupportedId())(
    `item 10: ${PARALLEL} concurrent POST /keys with one Idempotency-Key mint one key, on %p`,
    async databaseId => {
      const b = await backends.start(databaseId);
      await subscribeVia(b, BOB, [MINI]);
      b.emulator.injectFault({
        path: '/key/generate',
        latencyMs: 500,
        times: 1,
      });
      const answers = await Promise.all(
        Array.from({ length: PARALLEL }, () =>
          create({ name: 'once', models: [MINI] }, 'retry-storm'),
        ),
      );
      const created = answers.filter(res => res.status === 201);
      expect(created).toHaveLength(1);
      // The others: still in flight (try again), or done (the same key); never a secret.
      const busy = answers.filter(res => res.status === 409);
      const replayed = answers.filter(res => res.status === 200);
      expect(busy.length + replayed.length).toBe(PARALLEL - 1);
      expect(busy.map(res => res.body.error.message)).toEqual(
        busy.map(() => expect.stringMatching(/still in progress/)),
      );
      expect(replayed.map(res => res.body.id)).toEqual(
        replayed.map(() => created[0].body.id),
      );
      expect(
        answers.filter(
          res => res.status !== 201 && SECRET_PATTERN.test(res.text),
        ),
      ).toEqual([]);
      expect(managedLiteLLMKeys(b)).toHaveLength(1);
      expect(await b.knex('litemaas_keys')).toHaveLength(1);
      const again = await create(
        { name: 'once', models: [MINI] },
        'retry-storm',
      );
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(created[0].body.id);
    },
  );

  it.each(databases.eachSupportedId())(
    'item 10: a repeated reveal delivery returns the same reveal link, on %p',
    async databaseId => {
      const b = await backends.start(databaseId, {
        config: { reveal: REVEAL },
      });
      await subscribeVia(b, BOB, [MINI]);
      const body = { name: 'svc', models: [MINI], deliver: 'reveal' };
      const first = await create(body, 'task-1');
      expect(first.status).toBe(201);
      const repeat = await create(body, 'task-1');
      expect(repeat.status).toBe(200);
      expect(repeat.body.id).toBe(first.body.id);
      expect(repeat.body.reveal).toEqual(first.body.reveal);
      expect(managedLiteLLMKeys(b)).toHaveLength(1);
      expect(await b.knex('litemaas_reveals')).toHaveLength(1);

      // The link works once, as it did before.
      const revealed = await b.call(
        'get',
        `/reveal/${first.body.reveal.token}`,
        BOB,
      );
      expect(revealed.status).toBe(200);
      expect(revealed.body.secret).toMatch(SECRET_PATTERN);
      // The stored request holds no secret and no usable reveal token.
      const stored = JSON.stringify(
        await b.knex('litemaas_idempotency_keys').select('*'),
      );
      expect(stored).not.toContain(revealed.body.secret);
      expect(stored).not.toContain(first.body.reveal.token);
    },
  );
});
