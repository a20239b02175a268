import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import {
  ALICE,
  BOB,
  createTestDatabases,
  LiteMaaSTestBackend,
  MALLORY,
  startLiteMaaSTestBackend,
  testCatalog,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import request from 'supertest';

jest.setTimeout(60_000);

const OPEN = 'gpt-4o';
const RESTRICTED = 'o3-mini';
const SECRET = /sk-[A-Za-z0-9_-]{12,}/;

/**
 * An AI assistant's view of the portal: the MCP SDK's client over streamable HTTP against
 * the MCP actions backend, which calls the LiteMaaS actions as the signed-in user. Every
 * tool result is kept and scanned for a secret at the end.
 */
describe('LiteMaaS through MCP', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend;
  const clients: Client[] = [];
  const results: unknown[] = [];

  async function connect(userRef: string) {
    const client = new Client({ name: 'litemaas-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${backend.baseUrl}/api/mcp-actions/v1`),
        { requestInit: { headers: { Authorization: backend.as(userRef) } } },
      ),
    );
    clients.push(client);
    return {
      async call(name: string, args: Record<string, unknown> = {}) {
        const result = await client.callTool({ name, arguments: args });
        results.push(result);
        if (result.isError) {
          throw new Error(JSON.stringify(result.content));
        }
        return result.structuredContent as any;
      },
      async callFailing(name: string, args: Record<string, unknown>) {
        const result = await client.callTool({ name, arguments: args });
        results.push(result);
        expect(result.isError).toBe(true);
        return JSON.stringify(result.content);
      },
      listTools: () => client.listTools(),
    };
  }

  beforeAll(async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      config: {
        reveal: { encryptionKey: 'test-reveal-passphrase-0123456789' },
      },
      rootConfig: {
        app: { baseUrl: 'http://localhost:3000' },
        backend: { actions: { pluginSources: ['litemaas'] } },
      },
      features: [testCatalog(), mcpActionsPlugin],
    });
    const admin = backend.as(ALICE);
    const sync = await request(backend.server)
      .post('/api/litemaas/admin/models/sync')
      .set('Authorization', admin);
    const restrict = await request(backend.server)
      .patch(`/api/litemaas/admin/models/${RESTRICTED}`)
      .set('Authorization', admin)
      .send({ restricted: true });
    if (sync.status !== 200 || restrict.status !== 200) {
      throw new Error(`Set-up failed: ${sync.text} ${restrict.text}`);
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
    await backend?.stop();
  });

  it('lists the tools and calls each one as a user; no result holds a secret', async () => {
    const bob = await connect(BOB);
    const { tools } = await bob.listTools();
    expect(tools.map(t => t.name).sort()).toEqual([
      'litemaas.create-key',
      'litemaas.get-my-usage',
      'litemaas.list-models',
      'litemaas.list-my-keys',
      'litemaas.request-model-access',
      'litemaas.subscribe-to-model',
    ]);

    const models = await bob.call('litemaas.list-models');
    expect(models.items.map((m: { id: string }) => m.id)).toContain(OPEN);

    const subscribed = await bob.call('litemaas.subscribe-to-model', {
      modelId: OPEN,
    });
    expect(subscribed.subscription).toMatchObject({ status: 'active' });
    const asked = await bob.call('litemaas.request-model-access', {
      modelId: RESTRICTED,
      justification: 'Reasoning for the billing assistant',
    });
    expect(asked.subscription).toMatchObject({ status: 'pending' });

    const created = await bob.call('litemaas.create-key', {
      name: 'assistant-key',
      models: [OPEN],
    });
    expect(created.revealUrl).toMatch(
      /^http:\/\/localhost:3000\/litemaas\/reveal\/[\w%-]+$/,
    );
    const keys = await bob.call('litemaas.list-my-keys');
    expect(keys.items.map((k: { id: string }) => k.id)).toEqual([
      created.key.id,
    ]);
    const usage = await bob.call('litemaas.get-my-usage', {
      from: '2026-01-01',
      to: '2026-01-31',
    });
    expect(usage).toMatchObject({ from: '2026-01-01', to: '2026-01-31' });

    const bad = await bob.callFailing('litemaas.create-key', {
      name: 'k',
      models: [],
    });
    expect(bad).toMatch(/Invalid input/);

    // Another user sees none of bob's keys, nor his access.
    const mallory = await connect(MALLORY);
    expect((await mallory.call('litemaas.list-my-keys')).items).toEqual([]);
    const theirs = await mallory.call('litemaas.list-models');
    expect(
      theirs.items.find((m: { id: string }) => m.id === OPEN).subscription,
    ).toBeNull();

    // The one place the secret exists is the portal's reveal page, once.
    const token = created.revealUrl.split('/').pop();
    const revealed = await request(backend.server)
      .get(`/api/litemaas/reveal/${token}`)
      .set('Authorization', backend.as(BOB));
    expect(revealed.status).toBe(200);
    expect(revealed.body.secret).toMatch(SECRET);
    expect(results.length).toBe(9);
    for (const result of results) {
      const text = JSON.stringify(result);
      expect(text).not.toContain(revealed.body.secret);
      expect(text).not.toMatch(SECRET);
    }
  });
});
