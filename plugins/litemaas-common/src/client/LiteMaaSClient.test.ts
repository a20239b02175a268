import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ResponseError } from '@backstage/errors';
import { LiteMaaSClient } from '../generated';

/** The error a call rejects with (fails the test when it resolves). */
async function failure(call: Promise<unknown>): Promise<ResponseError> {
  return call.then(
    () => {
      throw new Error('the call resolved');
    },
    (e: unknown) => e as ResponseError,
  );
}

describe('LiteMaaSClient', () => {
  let server: Server;
  let baseUrl: string;
  let answer: { status: number; body: unknown };
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/litemaas`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  const client = () =>
    new LiteMaaSClient({
      discoveryApi: {
        getBaseUrl: async (id: string) => {
          expect(id).toBe('litemaas');
          return baseUrl;
        },
      },
    });

  it('reads the health of the backend it discovers', async () => {
    answer = { status: 200, body: { status: 'ok', database: 'ok' } };
    await expect(client().getHealth()).resolves.toEqual({
      status: 'ok',
      database: 'ok',
    });
    expect(seen.pop()).toBe('GET /api/litemaas/health');
  });

  it('turns a Backstage error body into a ResponseError', async () => {
    answer = {
      status: 503,
      body: {
        error: { name: 'ServiceUnavailableError', message: 'db down' },
        response: { statusCode: 503 },
      },
    };
    const error = await failure(client().getHealth());
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(503);
    expect(error.body.error.message).toBe('db down');
  });

  describe('listModels', () => {
    const model = {
      id: 'ibm-granite/granite-3.1-8b-instruct',
      provider: 'hosted_vllm',
      description: 'Granite 3.1 8B instruct',
      contextLength: 131072,
      inputCostPerToken: 1e-7,
      outputCostPerToken: 2e-7,
      capabilities: ['chat', 'function_calling'],
      mode: 'chat',
      restricted: false,
      status: 'available',
      deprecated: false,
      replacementModelId: null,
      deprecationDate: null,
      ownerGroupRef: null,
      lastSyncedAt: '2026-01-01T00:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };

    it('reads the models with the caller subscription', async () => {
      const subscription = {
        id: 's1',
        subjectRef: 'user:default/alice',
        status: 'active',
        expiresAt: null,
      };
      answer = {
        status: 200,
        body: {
          items: [
            { ...model, subscription },
            { ...model, id: 'llama3.2:3b', subscription: null },
          ],
          total: 2,
        },
      };
      const result = await client().listModels();
      expect(seen.pop()).toBe('GET /api/litemaas/models');
      expect(result.total).toBe(2);
      expect(result.items.map(({ id }) => id)).toEqual([
        'ibm-granite/granite-3.1-8b-instruct',
        'llama3.2:3b',
      ]);
      expect(result.items[0].subscription).toEqual(subscription);
      expect(result.items[0].contextLength).toBe(131072);
      expect(result.items[1].subscription).toBeNull();
    });

    it('sends the filters as an encoded query string', async () => {
      answer = { status: 200, body: { items: [], total: 0 } };
      await client().listModels({
        search: 'granite 3.1/8b',
        restricted: false,
        status: 'available',
      });
      const url = new URL(seen.pop()!.split(' ')[1], 'http://x');
      expect(url.pathname).toBe('/api/litemaas/models');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        search: 'granite 3.1/8b',
        restricted: 'false',
        status: 'available',
      });
    });

    it('throws a ResponseError when the backend is unavailable', async () => {
      answer = {
        status: 503,
        body: {
          error: { name: 'ServiceUnavailableError', message: 'down' },
          response: { statusCode: 503 },
        },
      };
      const error = await failure(client().listModels());
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(503);
    });
  });
});
