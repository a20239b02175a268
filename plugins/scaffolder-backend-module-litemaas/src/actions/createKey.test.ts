import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { JsonObject, JsonValue } from '@backstage/types';
import { context } from '../__testUtils__/actionContext';
import {
  BOB,
  CAROL,
  chatStatus,
  createTestDatabases,
  LiteMaaSTestBackend,
  managedLiteLLMKeys as managedKeys,
  MALLORY,
  PAYMENTS,
  SECRET_PATTERN,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import {
  growingTestCatalog,
  startLiteMaaSForScaffolder,
} from '../__testUtils__/backend';
import { createCreateKeyAction } from './createKey';
import { createEnsureSubscriptionAction } from './ensureSubscription';

jest.setTimeout(60_000);

/** A payments service in the catalog. */
function component(name: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'experimental', owner: PAYMENTS },
    relations: [{ type: 'ownedBy', targetRef: PAYMENTS }],
  };
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'litemaas:key:create, on %p',
  databaseId => {
    let backend: LiteMaaSTestBackend;
    const auth = mockServices.auth({ pluginId: 'scaffolder' });
    const catalog = growingTestCatalog([component('receipts')]);

    beforeAll(async () => {
      // The catalog knows the payments team's new service.
      backend = await startLiteMaaSForScaffolder(
        databases,
        databaseId,
        [],
        catalog,
      );
    });

    afterAll(async () => {
      await backend.stop();
    });

    afterEach(() => jest.restoreAllMocks());

    async function subscribe(owner: string, models: string[], user = BOB) {
      const action = createEnsureSubscriptionAction({
        auth,
        discovery: backend.discovery,
      });
      const { ctx } = context({ owner, models }, { user });
      await action.handler(ctx as any);
    }

    async function reveal(url: string, user: string) {
      return fetch(url, {
        headers: { Authorization: mockCredentials.user.header(user) },
      });
    }

    const action = () =>
      createCreateKeyAction({ auth, discovery: backend.discovery });

    it('rejects invalid input with clear messages and mints nothing', async () => {
      const before = managedKeys(backend.emulator).length;
      const cases: Array<[JsonObject, RegExp]> = [
        [{ name: 'svc', models: [] }, /models: at least one model is required/],
        [{ models: ['gpt-4o'] }, /name: Required/],
        [
          { name: 'svc', models: ['gpt-4o'], budgetDuration: 'monthly' },
          /budgetDuration: budget duration must look like 1d/,
        ],
        [
          {
            name: 'svc',
            models: ['gpt-4o'],
            expiresAt: '2030-01-01T00:00:00Z',
            expiresInDays: 30,
          },
          /expiresInDays: give expiresAt or expiresInDays, not both/,
        ],
        [
          { name: 'svc', models: ['gpt-4o'], expiresAt: 'tomorrow' },
          /expiresAt: must be an ISO 8601 date-time/,
        ],
        [
          { name: 'svc', models: ['gpt-4o'], tpmLimit: 1.5 },
          /tpmLimit: limit must be a whole number/,
        ],
        [
          { name: 'svc', models: ['gpt-4o'], owner: 'resource:default/db' },
          /owner must be a group, a user, a component or a system, not a resource/,
        ],
        [
          { name: 'svc', models: ['gpt-4o'], component: 'svc' },
          /component: must be an entity ref/,
        ],
        [
          { name: 'svc', models: ['gpt-4o'], colour: 'red' },
          /Unrecognized key/,
        ],
      ];
      for (const [input, message] of cases) {
        const { ctx } = context(input);
        await expect(action().handler(ctx as any)).rejects.toThrow(message);
        await expect(action().handler(ctx as any)).rejects.toThrow(
          /^Invalid input to litemaas:key:create|owner must be/,
        );
      }
      expect(managedKeys(backend.emulator)).toHaveLength(before);
    });

    it('mints a group key on behalf of the user, hands out only a reveal link, and the secret works once', async () => {
      await subscribe(PAYMENTS, ['gpt-4o']);
      const tokenSpy = jest.spyOn(auth, 'getPluginRequestToken');
      const { ctx, outputs, captured, lines } = context(
        {
          name: 'invoice-bot',
          owner: PAYMENTS,
          component: 'component:default/invoice-bot',
          models: ['gpt-4o'],
          maxBudget: 25,
          budgetDuration: '30d',
          tpmLimit: 10000,
          rpmLimit: 30,
          expiresInDays: 30,
        },
        { taskId: 'task-1' },
      );
      await action().handler(ctx as any);

      // The token is made on behalf of the initiating user, for the litemaas plugin.
      expect(tokenSpy).toHaveBeenCalledWith({
        onBehalfOf: expect.objectContaining({
          principal: expect.objectContaining({
            type: 'user',
            userEntityRef: BOB,
          }),
        }),
        targetPluginId: 'litemaas',
      });

      const out = outputs();
      expect(out).toEqual({
        keyId: expect.any(String),
        alias: expect.any(String),
        displayName: expect.stringMatching(/^sk-\.\.\./),
        ownerRef: PAYMENTS,
        revealUrl: expect.stringMatching(
          new RegExp(`^${backend.baseUrl}/api/litemaas/reveal/`),
        ),
        revealPageUrl: expect.stringMatching(/^\/litemaas\/reveal\/[\w-]+$/),
        revealExpiresAt: expect.any(String),
      });
      // The portal page and the API link carry the same one-time token.
      expect(out.revealPageUrl.split('/').pop()).toBe(
        out.revealUrl.split('/').pop(),
      );
      expect(lines.join('\n')).toContain('invoice-bot');

      // The backend saw bob (a user principal), and the key has the limits asked for.
      const [litellmKey] = managedKeys(backend.emulator).filter(
        k => k.key_alias === out.alias,
      );
      expect(litellmKey).toMatchObject({
        max_budget: 25,
        budget_duration: '30d',
        tpm_limit: 10000,
        rpm_limit: 30,
      });
      const key = await fetch(
        `${backend.baseUrl}/api/litemaas/keys/${out.keyId}`,
        { headers: { Authorization: mockCredentials.user.header(BOB) } },
      ).then(r => r.json());
      expect(key).toMatchObject({
        ownerRef: PAYMENTS,
        createdBy: BOB,
        metadata: {
          'backstage.component': 'component:default/invoice-bot',
          'backstage.scaffolder-task': 'task-1',
        },
      });

      // Someone outside the group gets nothing; a member of the owning group gets it once.
      expect((await reveal(out.revealUrl, MALLORY)).status).toBe(404);
      const first = await reveal(out.revealUrl, CAROL);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-store');
      const { keyId, secret } = await first.json();
      expect(keyId).toBe(out.keyId);
      expect(await chatStatus(backend.emulator, secret, 'gpt-4o')).toBe(200);
      expect((await reveal(out.revealUrl, BOB)).status).toBe(404);

      // Not in any output, log line or checkpoint state.
      const text = captured();
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(SECRET_PATTERN);
    });

    it('mints a key owned by a component its team owns, in the team, with no secret in the output', async () => {
      await subscribe(PAYMENTS, ['gpt-4o']);
      const { ctx, outputs, captured } = context(
        {
          name: 'receipts',
          owner: 'component:default/receipts',
          models: ['gpt-4o'],
        },
        { taskId: 'task-component', user: CAROL },
      );
      await action().handler(ctx as any);
      const out = outputs();
      expect(out.ownerRef).toBe('component:default/receipts');
      const key = await fetch(
        `${backend.baseUrl}/api/litemaas/keys/${out.keyId}`,
        { headers: { Authorization: mockCredentials.user.header(BOB) } },
      ).then(r => r.json());
      expect(key).toMatchObject({
        ownerRef: 'component:default/receipts',
        teamRef: PAYMENTS,
        createdBy: CAROL,
      });
      const [litellmKey] = managedKeys(backend.emulator).filter(
        k => k.key_alias === out.alias,
      );
      expect(litellmKey.team_id).toBe(PAYMENTS);
      // A member of the owner group reads the secret once; nobody else can.
      expect((await reveal(out.revealUrl, MALLORY)).status).toBe(404);
      const first = await reveal(out.revealUrl, BOB);
      expect(first.status).toBe(200);
      const { secret } = await first.json();
      expect(await chatStatus(backend.emulator, secret, 'gpt-4o')).toBe(200);
      expect(captured()).not.toContain(secret);
      expect(captured()).not.toMatch(SECRET_PATTERN);
      // Someone outside the owner group cannot mint for the component.
      const outsider = context(
        {
          name: 'x',
          owner: 'component:default/receipts',
          models: ['gpt-4o'],
        },
        { user: MALLORY },
      );
      await expect(action().handler(outsider.ctx as any)).rejects.toThrow(
        /403 .*Only members of group:default\/payments/,
      );
    });

    it('waits for a component a template step registered until the catalog has it, then mints its key', async () => {
      await subscribe(PAYMENTS, ['gpt-4o']);
      const { ctx, outputs, lines } = context(
        {
          name: 'invoices',
          owner: 'component:default/invoices',
          models: ['gpt-4o'],
          waitForOwnerSeconds: 30,
        },
        { taskId: 'task-new-component', user: CAROL },
      );
      const minted = action().handler(ctx as any);
      // The catalog processes the registered entity a moment later.
      await new Promise(resolve => setTimeout(resolve, 500));
      catalog.add(component('invoices'));
      await minted;
      expect(outputs().ownerRef).toBe('component:default/invoices');
      expect(lines).toContainEqual(
        expect.stringMatching(
          /component:default\/invoices is not in the catalog yet; waiting up to 30 s/,
        ),
      );
      const key = await fetch(
        `${backend.baseUrl}/api/litemaas/keys/${outputs().keyId}`,
        { headers: { Authorization: mockCredentials.user.header(BOB) } },
      ).then(r => r.json());
      expect(key).toMatchObject({
        ownerRef: 'component:default/invoices',
        teamRef: PAYMENTS,
      });
    });

    it('says how to fix a component owner the catalog does not have, and mints nothing', async () => {
      await subscribe(PAYMENTS, ['gpt-4o']);
      const before = managedKeys(backend.emulator).length;
      const { ctx } = context(
        {
          name: 'ghost',
          owner: 'component:default/ghost',
          models: ['gpt-4o'],
          waitForOwnerSeconds: 0,
        },
        { user: CAROL },
      );
      await expect(action().handler(ctx as any)).rejects.toThrow(
        "LiteMaaS refused to create key 'ghost' for component:default/ghost: 404 component:default/ghost was not found in the catalog (register it first, e.g. with catalog:register, and give waitForOwnerSeconds)",
      );
      expect(managedKeys(backend.emulator)).toHaveLength(before);
    });

    it('a retried task reuses the checkpointed key and mints no second one', async () => {
      await subscribe(BOB, ['gpt-4o']);
      const checkpoints = new Map<string, JsonValue>();
      const input = { name: 'retry-me', models: ['gpt-4o'] };
      const first = context(input, { checkpoints });
      await action().handler(first.ctx as any);
      const keysAfterFirst = managedKeys(backend.emulator).length;

      const retry = context(input, { checkpoints });
      await action().handler(retry.ctx as any);

      expect(managedKeys(backend.emulator)).toHaveLength(keysAfterFirst);
      expect(retry.outputs()).toEqual(first.outputs());
      expect(retry.outputs().ownerRef).toBe(BOB);
      expect(retry.lines.join('\n')).toMatch(/no second key was minted/);
      expect(first.captured()).not.toMatch(SECRET_PATTERN);
      expect(retry.captured()).not.toMatch(SECRET_PATTERN);
    });

    it('a retried step whose key checkpoint was lost gets the same key and reveal link (Idempotency-Key)', async () => {
      await subscribe(BOB, ['gpt-4o']);
      const checkpoints = new Map<string, JsonValue>();
      const input = {
        name: 'crash-after-create',
        models: ['gpt-4o'],
        expiresInDays: 7,
      };
      const first = context(input, { checkpoints, taskId: 'task-lost' });
      await action().handler(first.ctx as any);
      const keysAfterFirst = managedKeys(backend.emulator).length;
      // The step crashed after LiteMaaS made the key, before its checkpoint was kept.
      expect(checkpoints.delete('litemaas-key-create')).toBe(true);

      const retry = context(input, { checkpoints, taskId: 'task-lost' });
      await action().handler(retry.ctx as any);

      expect(managedKeys(backend.emulator)).toHaveLength(keysAfterFirst);
      expect(retry.outputs()).toEqual(first.outputs());
      expect(retry.captured()).not.toMatch(SECRET_PATTERN);
      // Another task is another key.
      const other = context(input, { checkpoints: new Map() });
      await action().handler(other.ctx as any);
      expect(managedKeys(backend.emulator)).toHaveLength(keysAfterFirst + 1);
      expect(other.outputs().keyId).not.toBe(first.outputs().keyId);
    });

    it('a dry run validates and creates nothing in LiteMaaS or the emulator', async () => {
      const before = managedKeys(backend.emulator).length;
      const keysBefore = await fetch(`${backend.baseUrl}/api/litemaas/keys`, {
        headers: { Authorization: mockCredentials.user.header(CAROL) },
      }).then(r => r.json());
      const { ctx, outputs, lines } = context(
        { name: 'dry', owner: 'payments', models: ['gpt-4o'], maxBudget: 5 },
        { isDryRun: true, user: CAROL },
      );
      await action().handler(ctx as any);
      expect(outputs()).toMatchObject({ keyId: 'dry-run', ownerRef: PAYMENTS });
      expect(lines.join('\n')).toMatch(
        /Dry run: would create key 'dry'.*nothing was created/,
      );
      expect(managedKeys(backend.emulator)).toHaveLength(before);
      const keysAfter = await fetch(`${backend.baseUrl}/api/litemaas/keys`, {
        headers: { Authorization: mockCredentials.user.header(CAROL) },
      }).then(r => r.json());
      expect(keysAfter.items).toHaveLength(keysBefore.items.length);

      // A dry run still validates.
      const bad = context(
        { name: 'dry', models: ['gpt-4o'], maxBudget: -1 },
        { isDryRun: true },
      );
      await expect(action().handler(bad.ctx as any)).rejects.toThrow(
        /maxBudget/,
      );
    });

    it('refuses a group the user does not belong to, a model without subscription, and a task without a user', async () => {
      const before = managedKeys(backend.emulator).length;
      const notMember = context(
        { name: 'x', owner: PAYMENTS, models: ['gpt-4o'] },
        { user: MALLORY },
      );
      await expect(action().handler(notMember.ctx as any)).rejects.toThrow(
        /LiteMaaS refused to create key 'x' for group:default\/payments: 403 .*group you belong to/,
      );
      const notSubscribed = context({
        name: 'y',
        owner: PAYMENTS,
        models: ['text-embedding-3-small'],
      });
      await expect(action().handler(notSubscribed.ctx as any)).rejects.toThrow(
        /403 .*no active subscription to: text-embedding-3-small/,
      );
      const service = context(
        { name: 'z', models: ['gpt-4o'] },
        { credentials: mockCredentials.service('plugin:other') },
      );
      await expect(action().handler(service.ctx as any)).rejects.toThrow(
        /act on behalf of the signed-in user/,
      );
      expect(managedKeys(backend.emulator)).toHaveLength(before);
    });
  },
);
