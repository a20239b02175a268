import { delay, http, HttpResponse } from 'msw';
import {
  LiteLLMConflictError,
  LiteLLMNotFoundError,
  LiteLLMUnavailableError,
} from './errors';
import {
  createTestClient,
  fakeClock,
  proxyError,
  setupLiteLLMMsw,
} from './__testUtils__/helpers';

const { server, url } = setupLiteLLMMsw();

/** Counts the requests msw receives per "METHOD path". */
function countRequests() {
  const counts: Record<string, number> = {};
  server.events.on('request:start', ({ request }) => {
    const id = `${request.method} ${new URL(request.url).pathname}`;
    counts[id] = (counts[id] ?? 0) + 1;
  });
  return counts;
}

afterEach(() => server.events.removeAllListeners());

afterEach(() => jest.useRealTimers());

/** The delays the client announced before each retry. */
function retryDelays(logger: { info: jest.Mock | ((...args: any[]) => void) }) {
  return (logger.info as jest.Mock).mock.calls
    .filter(([message]) => message === 'Retrying LiteLLM call')
    .map(([, meta]) => meta.delayMs);
}

const unavailable = () =>
  HttpResponse.json(
    proxyError('upstream unavailable', 'internal_server_error', '503'),
    { status: 503 },
  );

describe('LiteLLMClient fault tolerance (msw)', () => {
  describe('retries', () => {
    it('retries an idempotent read and succeeds on the 2nd attempt', async () => {
      const counts = countRequests();
      let calls = 0;
      server.use(
        http.get(url('/model/info'), () =>
          ++calls === 1
            ? unavailable()
            : HttpResponse.json({ data: [{ model_name: 'gpt-4o' }] }),
        ),
      );
      const { client, logger } = createTestClient();
      await expect(client.getModelInfo()).resolves.toHaveLength(1);
      expect(counts['GET /model/info']).toBe(2);
      expect(retryDelays(logger)).toHaveLength(1);
      expect(logger.info).toHaveBeenCalledWith(
        'Retrying LiteLLM call',
        expect.objectContaining({
          method: 'GET',
          path: '/model/info',
          attempt: 1,
          nextAttempt: 2,
        }),
      );
      expect(client.circuitState).toBe('closed');
    });

    it('backs off exponentially with jitter and gives up after maxAttempts', async () => {
      const counts = countRequests();
      server.use(http.get(url('/model/info'), unavailable));
      const randoms = [0, 1, 0.5];
      const { client, logger } = createTestClient({
        retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 30 },
        random: () => randoms.shift() ?? 0,
      });
      const error = await client.getModelInfo().catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMUnavailableError);
      expect(error.reason).toBe('http');
      expect(counts['GET /model/info']).toBe(4);
      // exp = 10, 20, 30 (capped); delay = exp/2 + random * exp/2, rounded
      expect(retryDelays(logger)).toEqual([5, 20, 23]);
    });

    it('retries the POST read /budget/info', async () => {
      const counts = countRequests();
      let calls = 0;
      server.use(
        http.post(url('/budget/info'), () =>
          ++calls === 1
            ? HttpResponse.error()
            : HttpResponse.json([{ budget_id: 'b1' }]),
        ),
      );
      const { client } = createTestClient();
      await expect(client.getBudgets(['b1'])).resolves.toEqual([
        { budget_id: 'b1' },
      ]);
      expect(counts['POST /budget/info']).toBe(2);
    });

    it.each([
      [
        'generateKey',
        'POST /key/generate',
        (c: any) => c.generateKey({ key_alias: 'a' }),
      ],
      [
        'updateKey',
        'POST /key/update',
        (c: any) => c.updateKey('a'.repeat(64), { max_budget: 1 }),
      ],
      [
        'deleteKeys',
        'POST /key/delete',
        (c: any) => c.deleteKeys(['a'.repeat(64)]),
      ],
      [
        'addTeamMembers',
        'POST /team/member_add',
        (c: any) => c.addTeamMembers('t1', { role: 'user', user_id: 'u' }),
      ],
      [
        'createUser',
        'POST /user/new',
        (c: any) => c.createUser({ user_id: 'u' }),
      ],
    ])(
      'never retries a non-idempotent call (%s) that fails with 503',
      async (_, id, invoke) => {
        const counts = countRequests();
        server.use(
          http.post(url('/key/generate'), unavailable),
          http.post(url('/key/update'), unavailable),
          http.post(url('/key/delete'), unavailable),
          http.post(url('/team/member_add'), unavailable),
          http.post(url('/user/new'), unavailable),
        );
        const { client, logger } = createTestClient({
          retry: { maxAttempts: 5 },
        });
        const error = await invoke(client).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LiteLLMUnavailableError);
        expect(counts[id]).toBe(1);
        expect(retryDelays(logger)).toEqual([]);
      },
    );

    it('does not retry 4xx answers of reads', async () => {
      const counts = countRequests();
      server.use(
        http.get(url('/key/info'), () =>
          HttpResponse.json(
            proxyError('Key not found in database', 'not_found_error', '404'),
            {
              status: 404,
            },
          ),
        ),
      );
      const { client } = createTestClient();
      await expect(client.getKeyInfo('a'.repeat(64))).rejects.toBeInstanceOf(
        LiteLLMNotFoundError,
      );
      expect(counts['GET /key/info']).toBe(1);
    });
  });

  describe('timeouts and network errors', () => {
    it('turns a timeout into LiteLLMUnavailableError (and retries reads)', async () => {
      const counts = countRequests();
      // LiteLLM never answers in time: each attempt ends only when the client aborts it
      // (or, if the client waited instead, with a late answer the test would then see).
      const aborted: boolean[] = [];
      server.use(
        http.get(url('/model/info'), async ({ request }) => {
          await Promise.race([
            new Promise(resolve =>
              request.signal.addEventListener('abort', resolve),
            ),
            delay(5_000),
          ]);
          aborted.push(request.signal.aborted);
          return HttpResponse.json({ data: [] });
        }),
      );
      const { client, loggedLines } = createTestClient({
        timeoutMs: 50,
        retry: { maxAttempts: 2 },
      });
      const error = await client.getModelInfo().catch(e => e);
      expect(aborted).toEqual([true, true]);
      expect(error).toBeInstanceOf(LiteLLMUnavailableError);
      expect(error.reason).toBe('timeout');
      expect(error.message).toBe(
        'LiteLLM GET /model/info timed out after 50 ms',
      );
      expect(counts['GET /model/info']).toBe(2);
      expect(loggedLines().filter(l => l.startsWith('warn'))).toHaveLength(2);
    });

    it('times out a non-idempotent call once, without retrying', async () => {
      const counts = countRequests();
      server.use(
        http.post(url('/key/generate'), async () => {
          await delay(200);
          return HttpResponse.json({ key: 'sk-x' });
        }),
      );
      const { client } = createTestClient({ timeoutMs: 50 });
      const error = await client.generateKey({}).catch(e => e);
      expect(error).toMatchObject({
        name: 'LiteLLMUnavailableError',
        reason: 'timeout',
      });
      expect(counts['POST /key/generate']).toBe(1);
    });

    it('turns a network error into LiteLLMUnavailableError', async () => {
      server.use(http.get(url('/v1/models'), () => HttpResponse.error()));
      const { client } = createTestClient({ retry: { maxAttempts: 1 } });
      const error = await client.listModels().catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMUnavailableError);
      expect(error.reason).toBe('network');
      expect(error.status).toBeUndefined();
      expect(error.message).toMatch(/^LiteLLM GET \/v1\/models is unreachable/);
    });
  });

  describe('circuit breaker', () => {
    it('opens after N consecutive failures and then fails fast without a request', async () => {
      const counts = countRequests();
      server.use(http.post(url('/key/generate'), unavailable));
      fakeClock();
      const { client, logger } = createTestClient({
        circuitBreaker: { failureThreshold: 3, cooldownMs: 10_000 },
      });
      for (let i = 0; i < 3; i++) {
        await expect(client.generateKey({})).rejects.toMatchObject({
          reason: 'http',
        });
      }
      expect(client.circuitState).toBe('open');
      expect(logger.warn).toHaveBeenCalledWith(
        'LiteLLM circuit breaker opened',
        expect.objectContaining({ consecutiveFailures: 3 }),
      );
      for (let i = 0; i < 5; i++) {
        const error = await client.generateKey({}).catch(e => e);
        expect(error).toBeInstanceOf(LiteLLMUnavailableError);
        expect(error.reason).toBe('circuit-open');
        expect(error.message).toMatch(
          /circuit breaker is open after 3 consecutive failures/,
        );
      }
      expect(counts['POST /key/generate']).toBe(3);
    });

    it('counts retried attempts and stops retrying once the circuit is open', async () => {
      const counts = countRequests();
      server.use(http.get(url('/model/info'), unavailable));
      const { client } = createTestClient({
        retry: { maxAttempts: 5 },
        circuitBreaker: { failureThreshold: 2 },
      });
      const error = await client.getModelInfo().catch(e => e);
      expect(error.reason).toBe('circuit-open');
      expect(counts['GET /model/info']).toBe(2);
    });

    it('half-opens after the cool-down, lets one trial through and closes on success', async () => {
      const counts = countRequests();
      let healthy = false;
      server.use(
        http.get(url('/model/info'), () =>
          healthy ? HttpResponse.json({ data: [] }) : unavailable(),
        ),
      );
      const clock = fakeClock();
      const { client, logger } = createTestClient({
        retry: { maxAttempts: 1 },
        circuitBreaker: { failureThreshold: 2, cooldownMs: 30_000 },
      });
      await client.getModelInfo().catch(() => undefined);
      await client.getModelInfo().catch(() => undefined);
      expect(client.circuitState).toBe('open');

      clock.advance(29_999);
      await expect(client.getModelInfo()).rejects.toMatchObject({
        reason: 'circuit-open',
      });
      expect(counts['GET /model/info']).toBe(2);

      clock.advance(1);
      expect(client.circuitState).toBe('half-open');
      healthy = true;
      await expect(client.getModelInfo()).resolves.toEqual([]);
      expect(counts['GET /model/info']).toBe(3);
      expect(client.circuitState).toBe('closed');
      expect(logger.info).toHaveBeenCalledWith(
        'LiteLLM circuit breaker closed',
        expect.objectContaining({ from: 'half-open', to: 'closed' }),
      );
      await expect(client.getModelInfo()).resolves.toEqual([]);
      expect(counts['GET /model/info']).toBe(4);
    });

    it('re-opens when the half-open trial fails, for another full cool-down', async () => {
      const counts = countRequests();
      server.use(http.get(url('/model/info'), unavailable));
      const clock = fakeClock();
      const { client } = createTestClient({
        retry: { maxAttempts: 3 },
        circuitBreaker: { failureThreshold: 1, cooldownMs: 1_000 },
      });
      await client.getModelInfo().catch(() => undefined);
      expect(counts['GET /model/info']).toBe(1);
      clock.advance(1_000);
      const trial = await client.getModelInfo().catch(e => e);
      // the trial fails (http), its retry is refused by the re-opened circuit
      expect(trial.reason).toBe('circuit-open');
      expect(counts['GET /model/info']).toBe(2);
      expect(client.circuitState).toBe('open');
      clock.advance(999);
      await expect(client.getModelInfo()).rejects.toMatchObject({
        reason: 'circuit-open',
      });
      expect(counts['GET /model/info']).toBe(2);
    });

    it('lets exactly one trial through while half-open', async () => {
      const counts = countRequests();
      let healthy = false;
      server.use(
        http.get(url('/model/info'), async () => {
          if (!healthy) return unavailable();
          await delay(50);
          return HttpResponse.json({ data: [] });
        }),
      );
      const clock = fakeClock();
      const { client } = createTestClient({
        retry: { maxAttempts: 1 },
        circuitBreaker: { failureThreshold: 1, cooldownMs: 1_000 },
      });
      await client.getModelInfo().catch(() => undefined);
      clock.advance(1_000);
      healthy = true;
      const [trial, concurrent] = await Promise.allSettled([
        client.getModelInfo(),
        client.getModelInfo(),
      ]);
      expect(trial.status).toBe('fulfilled');
      expect(concurrent).toMatchObject({
        status: 'rejected',
        reason: { reason: 'circuit-open' },
      });
      expect(counts['GET /model/info']).toBe(2);
      expect(client.circuitState).toBe('closed');
    });

    it('does not count LiteLLM 4xx answers as failures', async () => {
      server.use(
        http.post(url('/key/generate'), () =>
          HttpResponse.json(
            proxyError(
              "Key with alias 'a' already exists.",
              'bad_request_error',
              '400',
            ),
            { status: 400 },
          ),
        ),
      );
      const { client } = createTestClient({
        circuitBreaker: { failureThreshold: 2 },
      });
      for (let i = 0; i < 5; i++) {
        await expect(
          client.generateKey({ key_alias: 'a' }),
        ).rejects.toBeInstanceOf(LiteLLMConflictError);
      }
      expect(client.circuitState).toBe('closed');
    });

    it('resets the consecutive count on success', async () => {
      const outcomes: Array<'down' | 'up'> = [];
      server.use(
        http.get(url('/v1/models'), () =>
          outcomes.shift() === 'up'
            ? HttpResponse.json({ data: [] })
            : unavailable(),
        ),
      );
      const { client } = createTestClient({
        retry: { maxAttempts: 1 },
        circuitBreaker: { failureThreshold: 3 },
      });
      const call = () => client.listModels().catch(e => e);
      outcomes.push('down', 'down', 'up', 'down', 'down');
      for (let i = 0; i < 5; i++) await call();
      expect(client.circuitState).toBe('closed');
      outcomes.push('down');
      await call();
      expect(client.circuitState).toBe('open');
      const refused = await call();
      expect(refused.reason).toBe('circuit-open');
      expect(refused.message).toMatch(/open after 3 consecutive failures/);
    });
  });
});
