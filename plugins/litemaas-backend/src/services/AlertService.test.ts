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
const PAYMENTS = 'group:default/payments';

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

describe('AlertService: used-up budgets, team forecasts and failed sends', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'alerts once per period and resends a notification that failed, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      const now = new Date('2026-11-26T12:00:00.000Z');
      const teams = new TeamStore(knex);
      await teams.create({
        ref: PAYMENTS,
        litellmTeamId: 'team-payments',
        createdBy: BOB,
      });

      // The team has spent 30 of 50 half-way into a 10-day period: at that rate it
      // spends 60, so it runs out at 50 / 30 of the elapsed 5 days after the start.
      // Bob has spent all of his 100.
      const teamResetAt = new Date(now.getTime() + 5 * DAY);
      const litellm = {
        getTeamInfo: async (id: string) => {
          expect(id).toBe('team-payments');
          return {
            team_info: {
              spend: 30,
              max_budget: 50,
              budget_duration: '10d',
              budget_reset_at: teamResetAt.toISOString(),
            },
          };
        },
        listUsers: async () => ({
          users: [
            {
              user_id: BOB,
              spend: 100,
              max_budget: 100,
              budget_duration: '30d',
              budget_reset_at: new Date(now.getTime() + 10 * DAY).toISOString(),
            },
          ],
          total: 1,
          page: 1,
          page_size: 100,
          total_pages: 1,
        }),
      } as unknown as LiteLLMApi;

      // The first attempt to tell Bob his budget is used up fails.
      const sent: NotificationSendOptions[] = [];
      let failures = 1;
      const logger = mockServices.logger.mock();
      const alerts = new AlertService({
        alerts: new AlertStore(knex),
        notifications: {
          send: async (options: NotificationSendOptions) => {
            if (/used up/.test(options.payload.title) && failures-- > 0) {
              throw new Error('notifications backend is down');
            }
            sent.push(options);
          },
        },
        litellm,
        teams,
        keys: new KeyStore(knex),
        subscriptions: new SubscriptionStore(knex),
        logger,
        settings: { adminRecipients: [ADMINS] },
        now: () => now,
      });
      const summary = () =>
        sent.map(n => ({
          to: (n.recipients as { entityRef: string[] }).entityRef,
          title: n.payload.title,
          description: n.payload.description,
          severity: n.payload.severity,
        }));

      expect(await alerts.run()).toBe(1);
      const teamForecast = {
        to: [PAYMENTS],
        title: `Team ${PAYMENTS} LLM budget will run out before it resets`,
        description: `At the current rate the budget of 50 runs out around ${new Date(
          teamResetAt.getTime() - 10 * DAY + (50 / 30) * 5 * DAY,
        ).toISOString()}, before ${teamResetAt.toISOString()}.`,
        severity: 'normal',
      };
      expect(summary()).toEqual([teamForecast]);
      expect(logger.warn).toHaveBeenCalledWith(
        `LiteMaaS budget-100 alert for ${BOB} not sent, retried on the next run`,
        { name: 'Error', message: 'notifications backend is down' },
      );

      // The failed alert was not recorded as sent: the next run sends it, once, and
      // nothing else is sent again.
      expect(await alerts.run()).toBe(1);
      expect(await alerts.run()).toBe(0);
      expect(summary()).toEqual([
        teamForecast,
        {
          to: [BOB],
          title: 'Your LLM budget is used up',
          description: expect.stringMatching(
            /^100\.00 of 100 spent: requests are refused until the budget resets or is raised\./,
          ),
          severity: 'critical',
        },
      ]);
    },
  );
});
