import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ResponseError } from '@backstage/errors';
import { LiteMaaSClient } from './LiteMaaSClient';

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
        getBaseUrl: async id => {
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
    const error = await client()
      .getHealth()
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(503);
    expect(error.body.error.message).toBe('db down');
  });

  it('rejects an answer that does not match the schema', async () => {
    answer = { status: 200, body: { status: 'maybe' } };
    await expect(client().getHealth()).rejects.toThrow(/status/);
  });
});
