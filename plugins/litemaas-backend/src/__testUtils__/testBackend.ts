import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQuery } from '@backstage/plugin-permission-node';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { startEmulator, RunningEmulator } from '@litemaas/litellm-emulator';
import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';
import { litemaasPlugin } from '../plugin';
import { LiteMaaSSamplePolicy } from '../permissions/LiteMaaSSamplePolicy';

export const ADMIN_GROUP = 'group:default/platform-team';

/** The people of the test organization and the groups they belong to. */
export const TEST_USERS: Record<string, string[]> = {
  'user:default/alice': [ADMIN_GROUP],
  'user:default/bob': ['group:default/payments'],
  'user:default/carol': ['group:default/payments'],
  'user:default/mallory': ['group:default/outsiders'],
};

export interface LiteMaaSTestBackend {
  server: Parameters<typeof import('supertest')>[0];
  emulator: RunningEmulator;
  knex: Knex;
  /** The Authorization header of a signed-in user. */
  as(userRef: string): string;
  /** The Authorization header of a service principal (e.g. another plugin). */
  service(): string;
  stop(): Promise<void>;
}

/**
 * The LiteMaaS backend plugin in a real test backend, on a real database (SQLite or
 * PostgreSQL), talking to a real LiteLLM emulator, with the sample permission policy.
 */
export async function startLiteMaaSTestBackend(options: {
  databases: TestDatabases;
  databaseId: TestDatabaseId;
  config?: Record<string, unknown>;
  emulator?: Parameters<typeof startEmulator>[0];
  /** Extra features or service factories (e.g. a capturing root logger). */
  features?: BackendFeature[];
}): Promise<LiteMaaSTestBackend> {
  const masterKey = `sk-${randomBytes(16).toString('hex')}`;
  const emulator = await startEmulator({
    port: 0,
    masterKey,
    ...options.emulator,
  });
  const knex = await options.databases.init(options.databaseId);

  const userInfo = createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials) {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        return {
          userEntityRef: ref,
          ownershipEntityRefs: [ref, ...(TEST_USERS[ref] ?? [])],
        };
      },
    }),
  });

  const permissions = createServiceFactory({
    service: coreServices.permissions,
    deps: { userInfo: coreServices.userInfo },
    factory: ({ userInfo: info }): PermissionsService => {
      const policy = new LiteMaaSSamplePolicy(info, [ADMIN_GROUP]);
      const decide = async (query: PolicyQuery, credentials: any) =>
        policy.handle(
          query,
          credentials.principal.type === 'user'
            ? { credentials, info: await info.getUserInfo(credentials) }
            : undefined,
        );
      return {
        async authorize(requests, { credentials }) {
          return Promise.all(
            requests.map(async ({ permission }) => {
              const decision = await decide({ permission }, credentials);
              if (decision.result === AuthorizeResult.CONDITIONAL) {
                throw new Error(
                  `${permission.name} is conditional: use authorizeConditional`,
                );
              }
              return decision;
            }),
          );
        },
        async authorizeConditional(queries, { credentials }) {
          return Promise.all(
            queries.map(query => decide(query, credentials)),
          ) as any;
        },
      };
    },
  });

  const testBackend = await startTestBackend({
    features: [
      litemaasPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          litemaas: {
            litellm: { baseUrl: emulator.url, masterKey, timeoutMs: 2000 },
            ...options.config,
          },
        },
      }),
      userInfo,
      permissions,
      ...(options.features ?? []),
    ],
  });

  return {
    server: testBackend.server,
    emulator,
    knex,
    as: userRef => mockCredentials.user.header(userRef),
    service: () => mockCredentials.service.header(),
    async stop() {
      await testBackend.stop();
      await emulator.close();
    },
  };
}

/** A notification service that keeps everything sent in `sent`, for the harness `features`. */
export function capturingNotificationService(sent: NotificationSendOptions[]) {
  return createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      async send(options: NotificationSendOptions) {
        sent.push(options);
      },
    }),
  });
}
