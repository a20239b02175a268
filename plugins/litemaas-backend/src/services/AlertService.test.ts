import { mockServices } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { AlertStore } from '../database/AlertStore';
import { KeyStore } from '../database/KeyStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { SubscriptionStore } from '../database/SubscriptionStore';
import { TeamStore } from '../database/TeamStore';
import { LiteLLMApi } from '../litellm';
import { createTestDatabases } from '../testUtils';
import { AlertService } from './AlertService';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const ADMINS = 'group:default/platform-team';

describe('AlertService: forecast, key expiry and subscription alerts', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'sends each alert once per period, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      const now = new Date('2026-11-26T12:00:00.000Z');
      const keys = new KeyStore(knex);
      const subscriptions = new SubscriptionStore(knex);

      // Bob's key expires in 3 days, Carol's in 30 (outside the 7-day warning).
      for (const [owner, days, hash] of [
        [BOB, 3, 'a'.repeat(64)],
        [CAROL, 30, 'b'.repeat(64)],
      ] as const) {
        const pending = await keys.createPending({
          ownerRef: owner,
          createdBy: owner,
          name: `${owner} key`,
          models: ['gpt-4o'],
          expiresAt: new Date(now.getTime() + days * DAY).toISOString(),
        });
        await keys.activate(pending.id, {
          keyHash: hash,
          displayName: `sk-...${hash.slice(0, 4)}`,
        });
      }
      // Carol waits for access; Bob's request was approved by an admin.
      await subscriptions.createOrGet({
        subjectRef: CAROL,
        modelId: 'meta-llama/Llama-3.3-70B-Instruct',
        status: 'pending',
        justification: 'Invoice extraction',
        createdBy: CAROL,
      });
      const { subscription } = await subscriptions.createOrGet({
        subjectRef: BOB,
        modelId: 'o3-mini',
        status: 'pending',
        createdBy: BOB,
      });
      await subscriptions.transition(subscription.id, {
        to: 'active',
        actorRef: 'user:default/alice',
      });

      // Bob has spent 40 of 100 a third of the way into a 30-day period: the burn rate
      // runs the budget out before it resets, without crossing 80% yet.
      const litellm = {
        getTeamInfo: async () => {
          throw new Error('no teams here');
        },
        listUsers: async () => ({
          users: [
            {
              user_id: BOB,
              spend: 40,
              max_budget: 100,
              budget_duration: '30d',
              budget_reset_at: new Date(now.getTime() + 20 * DAY).toISOString(),
            },
          ],
          total: 1,
          page: 1,
          page_size: 100,
          total_pages: 1,
        }),
      } as unknown as LiteLLMApi;

      const sent: NotificationSendOptions[] = [];
      const alerts = new AlertService({
        alerts: new AlertStore(knex),
        notifications: {
          send: async (options: NotificationSendOptions) => {
            sent.push(options);
          },
        },
        litellm,
        teams: new TeamStore(knex),
        keys,
        subscriptions,
        logger: mockServices.logger.mock(),
        settings: { adminRecipients: [ADMINS] },
        now: () => now,
      });

      expect(await alerts.run()).toBe(4);
      // Recipients are lists of entity refs.
      const summary = sent
        .map(
          n =>
            `${String((n.recipients as any).entityRef)} | ${n.payload.title}`,
        )
        .sort();
      expect(summary).toEqual(
        [
          `${ADMINS} | Access request for meta-llama/Llama-3.3-70B-Instruct`,
          `${BOB} | API key "${BOB} key" expires soon`,
          `${BOB} | Access to o3-mini approved`,
          `${BOB} | Your LLM budget will run out before it resets`,
        ].sort(),
      );

      // The next runs in the same period send nothing new.
      expect(await alerts.run()).toBe(0);
      expect(await alerts.run()).toBe(0);
      expect(sent).toHaveLength(4);
    },
  );
});
