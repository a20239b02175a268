import request from 'supertest';
import {
  ALICE,
  BOB,
  chatStatus,
  createTestDatabases,
  LiteMaaSTestBackend,
  MALLORY,
  OUTSIDERS,
  startLiteMaaSTestBackend,
  testCatalog,
} from '../testUtils';

jest.setTimeout(60_000);

const OPEN = 'gpt-4o';
const RESTRICTED = 'o3-mini';
const APP = 'http://portal.example.com';
const SECRET = /sk-[A-Za-z0-9_-]{12,}/;

/**
 * The LiteMaaS actions through Backstage's actions registry, over its HTTP API (what the
 * MCP actions backend calls with the user's on-behalf-of token): one backend, the steps
 * of one user's session in order. Actions are not database code (the services they call
 * are tested on both engines), so this runs on SQLite only.
 */
describe('LiteMaaS actions', () => {
  const databases = createTestDatabases();
  let backend: LiteMaaSTestBackend;

  const invoke = (name: string, input: object, as?: string) =>
    request(backend.server)
      .post(
        `/api/litemaas/.backstage/actions/v1/actions/litemaas:${name}/invoke`,
      )
      .set('Authorization', as ?? backend.as(BOB))
      .send(input);
  const asUser = (ref: string) => backend.as(ref);

  beforeAll(async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      config: {
        reveal: { encryptionKey: 'test-reveal-passphrase-0123456789' },
      },
      rootConfig: { app: { baseUrl: APP } },
      features: [testCatalog()],
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
    await backend?.stop();
  });

  it('lists the six actions with their schemas', async () => {
    const res = await request(backend.server)
      .get('/api/litemaas/.backstage/actions/v1/actions')
      .set('Authorization', asUser(BOB));
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(
      res.body.actions.map((a: { id: string }) => [a.id, a]),
    );
    expect(Object.keys(byId).sort()).toEqual([
      'litemaas:create-key',
      'litemaas:get-my-usage',
      'litemaas:list-models',
      'litemaas:list-my-keys',
      'litemaas:request-model-access',
      'litemaas:subscribe-to-model',
    ]);
    expect(byId['litemaas:list-models'].attributes.readOnly).toBe(true);
    expect(byId['litemaas:create-key'].schema.input.required).toEqual([
      'name',
      'models',
    ]);
    expect(byId['litemaas:request-model-access'].schema.input.required).toEqual(
      ['modelId', 'justification'],
    );
  });

  it('subscribes to an open model, and asks for a restricted one with a justification', async () => {
    const before = await invoke('list-models', {});
    expect(before.status).toBe(200);
    const open = before.body.output.items.find(
      (m: { id: string }) => m.id === OPEN,
    );
    expect(open).toMatchObject({ restricted: false, subscription: null });

    const refused = await invoke('subscribe-to-model', { modelId: RESTRICTED });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(
      /restricted: ask for access with request-model-access/,
    );

    const subscribed = await invoke('subscribe-to-model', { modelId: OPEN });
    expect(subscribed.status).toBe(200);
    expect(subscribed.body.output).toMatchObject({
      created: true,
      subscription: { subjectRef: BOB, modelId: OPEN, status: 'active' },
    });

    const asked = await invoke('request-model-access', {
      modelId: RESTRICTED,
      justification: 'Reasoning for the billing assistant',
    });
    expect(asked.status).toBe(200);
    expect(asked.body.output.subscription).toMatchObject({
      modelId: RESTRICTED,
      status: 'pending',
      justification: 'Reasoning for the billing assistant',
    });

    const after = await invoke('list-models', { search: 'o' });
    const access = Object.fromEntries(
      after.body.output.items.map(
        (m: { id: string; subscription: { status: string } | null }) => [
          m.id,
          m.subscription?.status ?? null,
        ],
      ),
    );
    expect(access).toMatchObject({ [OPEN]: 'active', [RESTRICTED]: 'pending' });
    // Mallory sees the models, not bob's access to them.
    const mallory = await invoke('list-models', {}, asUser(MALLORY));
    expect(
      mallory.body.output.items.every(
        (m: { subscription: unknown }) => m.subscription === null,
      ),
    ).toBe(true);
  });

  it('creates a key whose secret comes back only as a one-time portal reveal link', async () => {
    const created = await invoke('create-key', {
      name: 'billing-assistant',
      models: [OPEN],
      maxBudget: 5,
      budgetDuration: '30d',
    });
    expect(created.status).toBe(200);
    const { key, revealUrl, revealExpiresAt } = created.body.output;
    expect(key).toMatchObject({
      ownerRef: BOB,
      name: 'billing-assistant',
      models: [OPEN],
      maxBudget: 5,
      status: 'active',
    });
    expect(key).not.toHaveProperty('litellmKeyHash');
    expect(Date.parse(revealExpiresAt)).toBeGreaterThan(Date.now());
    expect(JSON.stringify(created.body)).not.toMatch(SECRET);
    const token = revealUrl.match(
      /^http:\/\/portal\.example\.com\/litemaas\/reveal\/([\w%-]+)$/,
    )?.[1];
    expect(token).toBeDefined();

    // The portal page reads the reveal route once, as bob only.
    const reveal = (as: string) =>
      request(backend.server)
        .get(`/api/litemaas/reveal/${token}`)
        .set('Authorization', as);
    expect((await reveal(asUser(MALLORY))).status).toBe(404);
    const revealed = await reveal(asUser(BOB));
    expect(revealed.status).toBe(200);
    expect(revealed.body.keyId).toBe(key.id);
    expect(await chatStatus(backend, revealed.body.secret, OPEN)).toBe(200);
    expect((await reveal(asUser(BOB))).status).toBe(404);

    const mine = await invoke('list-my-keys', {});
    expect(mine.status).toBe(200);
    expect(mine.body.output.items.map((k: { id: string }) => k.id)).toEqual([
      key.id,
    ]);
    expect(JSON.stringify(mine.body)).not.toContain(revealed.body.secret);
    expect(JSON.stringify(mine.body)).not.toMatch(SECRET);
    const theirs = await invoke('list-my-keys', {}, asUser(MALLORY));
    expect(theirs.body.output.items).toEqual([]);

    // Usage of that key, once synced from LiteLLM, is bob's and not mallory's.
    expect(
      (
        await request(backend.server)
          .post('/api/litemaas/admin/usage/sync')
          .set('Authorization', asUser(ALICE))
      ).status,
    ).toBe(200);
    const usage = await invoke('get-my-usage', { groupBy: 'key' });
    expect(usage.status).toBe(200);
    expect(usage.body.output.rows).toEqual([
      expect.objectContaining({ group: key.id, label: 'billing-assistant' }),
    ]);
    expect(usage.body.output.totals.requests).toBe(1);
    const malloryUsage = await invoke('get-my-usage', {}, asUser(MALLORY));
    expect(malloryUsage.body.output.totals.requests).toBe(0);
  });

  it('refuses what the caller may not do, with the reason', async () => {
    const foreign = await invoke('create-key', {
      name: 'not-mine',
      models: [OPEN],
      owner: OUTSIDERS,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.name).toBe('NotAllowedError');

    const unsubscribed = await invoke('create-key', {
      name: 'x',
      models: [RESTRICTED],
    });
    expect(unsubscribed.status).toBeGreaterThanOrEqual(400);
    expect(unsubscribed.status).toBeLessThan(500);
    expect(unsubscribed.body.error.message).toMatch(/o3-mini/);

    const service = await invoke('list-my-keys', {}, backend.service());
    expect(service.status).toBe(403);
    expect(service.body.error.message).toMatch(/act for a signed-in user/);
  });

  it('answers bad input with a 400 that names the field', async () => {
    const noModels = await invoke('create-key', { name: 'k', models: [] });
    expect(noModels.status).toBe(400);
    expect(noModels.body.error.message).toMatch(
      /^Invalid input to action "litemaas:create-key"; caused by .*"at least one model is required"/s,
    );

    const unknown = await invoke('list-my-keys', { owner: ALICE });
    expect(unknown.status).toBe(400);

    const backwards = await invoke('get-my-usage', {
      from: '2026-02-01',
      to: '2026-01-01',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe(
      'Invalid usage query: to: to must not be before from',
    );

    const missing = await invoke('subscribe-to-model', {
      modelId: 'no-such-model',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/no-such-model/);
  });
});
