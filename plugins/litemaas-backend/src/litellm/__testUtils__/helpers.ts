import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { LiteLLMClient, LiteLLMClientTuning } from '../LiteLLMClient';

/** A fake key secret built at run time (never a literal in the sources). */
export function fakeSecret(fill: string, length = 22): string {
  return `sk-${fill.repeat(length).slice(0, length)}`;
}

export const TEST_BASE_URL = 'http://litellm.test';

/** A client with a mock logger, no backoff between retries (unless asked) and no jitter. */
export function createTestClient(
  tuning: LiteLLMClientTuning = {},
  connection: { baseUrl?: string; masterKey?: string } = {},
) {
  const logger = mockServices.logger.mock();
  const masterKey = connection.masterKey ?? fakeSecret('M');
  const client = new LiteLLMClient({
    baseUrl: connection.baseUrl ?? TEST_BASE_URL,
    masterKey,
    logger,
    random: () => 0.5,
    ...tuning,
    retry: { baseDelayMs: 0, maxDelayMs: 0, ...tuning.retry },
  });
  /** Every logged message and its metadata, as one string per call. */
  const loggedLines = () =>
    (['debug', 'info', 'warn', 'error'] as const).flatMap(level =>
      (logger[level] as jest.Mock).mock.calls.map(
        (args: unknown[]) => `${level} ${JSON.stringify(args)}`,
      ),
    );
  return { client, logger, masterKey, loggedLines };
}

/** LiteLLM's ProxyException envelope. */
export function proxyError(
  message: unknown,
  type: string,
  code: string | number,
  param: string | null = 'None',
) {
  return { error: { message, type, param, code } };
}

/** Collects the values of an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

/**
 * A fake clock for the circuit breaker: Jest fakes `Date` only, so msw, fetch, timeouts and
 * retry delays keep running on real timers.
 */
export function fakeClock(start = Date.UTC(2026, 0, 1)) {
  jest.useFakeTimers({
    now: start,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  return { advance: (ms: number) => jest.setSystemTime(Date.now() + ms) };
}

/** An msw server for the file's tests, and the URL of a path on the test LiteLLM. */
export function setupLiteLLMMsw() {
  const server = setupServer();
  registerMswTestHooks(server);
  return { server, url: (path: string) => `${TEST_BASE_URL}${path}` };
}
