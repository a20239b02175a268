import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { context } from '../__testUtils__/actionContext';
import {
  ALICE,
  BOB,
  createTestDatabases,
  LiteMaaSTestBackend,
  MALLORY,
  PAYMENTS,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import { startLiteMaaSForScaffolder } from '../__testUtils__/backend';
import { createEnsureSubscriptionAction } from './ensureSubscription';

jest.setTimeout(60_000);

const OPEN = 'gpt-4o';
const RESTRICTED = 'ibm-granite/granite-3.1-8b-instruct';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'litemaas:subscription:ensure, on %p',
  databaseId => {
    let backend: LiteMaaSTestBackend;
    const auth = mockServices.auth({ pluginId: 'scaffolder' });
    const action = () =>
      createEnsureSubscriptionAction({ auth, discovery: backend.discovery });

    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${backend.baseUrl}/api/litemaas${path}`, {
        method,
        headers: {
          Authorization: mockCredentials.user.header(ALICE),
          'Content-Type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };

    beforeAll(async () => {
      backend = await startLiteMaaSForScaffolder(databases, databaseId);
      const restricted = await call(
        'PATCH',
        `/admin/models/${encodeURIComponent(RESTRICTED)}`,
        { restricted: true },
      );
      if (restricted.status !== 200) {
        throw new Error(`setup: ${restricted.status}`);
      }
    });

    afterAll(async () => {
      await backend.stop();
    });

    it('rejects invalid input with clear messages', async () => {
      for (const [input, message] of [
        [{ models: [] }, /models: at least one model is required/],
        [{ models: [OPEN, OPEN] }, /models: models must not repeat/],
        [
          { models: [OPEN], onPending: 'maybe' },
          /onPending: Invalid enum value/,
        ],
        [
          { models: [OPEN], owner: 'system:default/x' },
          /owner must be a group or a user/,
        ],
      ] as const) {
        const { ctx } = context(input as any);
        await expect(action().handler(ctx)).rejects.toThrow(message);
      }
    });

    it('subscribes a group to an open model at once, idempotently', async () => {
      const first = context({ owner: 'payments', models: [OPEN] });
      await action().handler(first.ctx);
      expect(first.outputs()).toMatchObject({
        owner: PAYMENTS,
        active: [OPEN],
        pending: [],
        subscriptions: [{ modelId: OPEN, status: 'active' }],
      });
      const again = context({ owner: PAYMENTS, models: [OPEN] });
      await action().handler(again.ctx);
      expect(again.outputs().subscriptions[0].id).toBe(
        first.outputs().subscriptions[0].id,
      );
    });

    it('fails on a restricted model pending approval unless told to continue', async () => {
      const failing = context({
        models: [OPEN, RESTRICTED],
        justification: 'invoice extraction',
      });
      await expect(action().handler(failing.ctx)).rejects.toThrow(
        /user:default\/bob is waiting for approval of ibm-granite\/granite-3.1-8b-instruct .*onPending is "fail"/,
      );
      expect(failing.outputs()).toMatchObject({
        active: [OPEN],
        pending: [RESTRICTED],
      });

      const continuing = context({
        models: [OPEN, RESTRICTED],
        onPending: 'continue',
      });
      await action().handler(continuing.ctx);
      expect(continuing.outputs()).toMatchObject({
        owner: BOB,
        active: [OPEN],
        pending: [RESTRICTED],
      });
      expect(continuing.lines.join('\n')).toMatch(
        /waiting for approval.*continuing with gpt-4o/,
      );
    });

    it('refuses a group the user does not belong to', async () => {
      const { ctx } = context(
        { owner: PAYMENTS, models: [OPEN] },
        { user: MALLORY },
      );
      await expect(action().handler(ctx)).rejects.toThrow(
        /LiteMaaS refused to subscribe group:default\/payments to gpt-4o: 403/,
      );
    });

    it('a dry run predicts from the model list and subscribes nothing', async () => {
      const carol = 'user:default/carol';
      const before = await fetch(
        `${backend.baseUrl}/api/litemaas/subscriptions`,
        {
          headers: { Authorization: mockCredentials.user.header(carol) },
        },
      ).then(r => r.json());
      const { ctx, outputs, lines } = context(
        { models: [OPEN, RESTRICTED] },
        { isDryRun: true, user: carol },
      );
      await action().handler(ctx);
      expect(outputs()).toMatchObject({
        owner: carol,
        active: [OPEN],
        pending: [RESTRICTED],
        subscriptions: [],
      });
      expect(lines.join('\n')).toMatch(
        /Dry run: would subscribe .*nothing was subscribed/,
      );
      const after = await fetch(
        `${backend.baseUrl}/api/litemaas/subscriptions`,
        {
          headers: { Authorization: mockCredentials.user.header(carol) },
        },
      ).then(r => r.json());
      expect(after.items.filter((s: any) => s.subjectRef === carol)).toEqual(
        before.items.filter((s: any) => s.subjectRef === carol),
      );

      const unknown = context(
        { models: ['no-such-model'] },
        { isDryRun: true },
      );
      await expect(action().handler(unknown.ctx)).rejects.toThrow(
        /Unknown models: no-such-model/,
      );
    });
  },
);
