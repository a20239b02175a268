import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ResponseError } from '@backstage/errors';
import { LiteMaaSClient } from '../generated';

const key = {
  id: 'k1',
  ownerRef: 'group:default/payments',
  createdBy: 'user:default/bob',
  name: 'svc',
  litellmKeyHash: 'h',
  litellmAlias: 'a',
  displayName: 'sk-...abcd',
  models: ['gpt-4o'],
  maxBudget: null,
  budgetDuration: null,
  tpmLimit: null,
  rpmLimit: null,
  expiresAt: null,
  metadata: {},
  status: 'active',
  blockedByAdmin: false,
  rotatedFromKeyId: null,
  graceExpiresAt: null,
  revokedAt: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('LiteMaaSClient keys, subscriptions and reveals', () => {
  let server: Server;
  let baseUrl: string;
  let answer: { status: number; body: unknown };
  const seen: Array<{ line: string; auth?: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({
          line: `${req.method} ${req.url}`,
          auth: req.headers.authorization,
          body,
        });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/litemaas`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  const client = () =>
    new LiteMaaSClient({ discoveryApi: { getBaseUrl: async () => baseUrl } });

  it('creates a key for reveal with the given token and parses the reveal', async () => {
    const reveal = {
      token: 't',
      url: `${baseUrl}/reveal/t`,
      expiresAt: '2026-01-01T00:15:00Z',
    };
    answer = { status: 201, body: { ...key, reveal } };
    const created = await client().createKey(
      { name: 'svc', models: ['gpt-4o'], deliver: 'reveal' },
      { token: 'user-token' },
    );
    expect(created).toMatchObject({ reveal });
    expect(seen.at(-1)).toEqual({
      line: 'POST /api/litemaas/keys',
      auth: 'Bearer user-token',
      body: JSON.stringify({
        name: 'svc',
        models: ['gpt-4o'],
        deliver: 'reveal',
      }),
    });
  });

  it('subscribes and reads a reveal; errors are ResponseErrors', async () => {
    answer = {
      status: 201,
      body: {
        id: 's1',
        subjectRef: 'group:default/payments',
        modelId: 'gpt-4o',
        status: 'pending',
        justification: null,
        reason: null,
        decidedBy: null,
        decidedAt: null,
        expiresAt: null,
        createdBy: 'user:default/bob',
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
      },
    };
    await expect(
      client().createSubscription({
        modelId: 'gpt-4o',
        subject: 'group:default/payments',
      }),
    ).resolves.toMatchObject({ status: 'pending' });
    expect(seen.at(-1)?.line).toBe('POST /api/litemaas/subscriptions');

    answer = { status: 200, body: { keyId: 'k1', secret: 'x' } };
    await expect(client().revealSecret('a/b')).resolves.toEqual({
      keyId: 'k1',
      secret: 'x',
    });
    expect(seen.at(-1)?.line).toBe('GET /api/litemaas/reveal/a%2Fb');

    answer = {
      status: 404,
      body: { error: { name: 'NotFoundError', message: 'gone' } },
    };
    await expect(client().revealSecret('t')).rejects.toBeInstanceOf(
      ResponseError,
    );
  });

  it('encodes path parameters, sends no body on reads and reads CSV as text', async () => {
    answer = { status: 200, body: { items: [], total: 0 } };
    await client().getTeam('group:default/payments', { token: 'user-token' });
    expect(seen.at(-1)).toEqual({
      line: 'GET /api/litemaas/teams/group%3Adefault%2Fpayments',
      auth: 'Bearer user-token',
      body: '',
    });

    answer = { status: 200, body: 'date,key_id\n' };
    await expect(
      client().exportUsageCsv({ from: '2026-01-01', to: '2026-01-31' }),
    ).resolves.toBe(JSON.stringify('date,key_id\n'));
    expect(seen.at(-1)?.line).toBe(
      'GET /api/litemaas/usage/export.csv?from=2026-01-01&to=2026-01-31',
    );
  });

  it('sends PATCH bodies as JSON and leaves out undefined query values', async () => {
    answer = { status: 200, body: key };
    await client().updateKey('k1', { maxBudget: null, name: 'renamed' });
    expect(seen.at(-1)).toMatchObject({
      line: 'PATCH /api/litemaas/keys/k1',
      body: JSON.stringify({ maxBudget: null, name: 'renamed' }),
    });
    answer = { status: 200, body: { items: [] } };
    await client().listAuditEntries({
      action: 'key.create',
      cursor: undefined,
    });
    expect(seen.at(-1)?.line).toBe(
      'GET /api/litemaas/admin/audit?action=key.create',
    );
  });
});
