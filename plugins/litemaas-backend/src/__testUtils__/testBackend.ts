import {
  AuthService,
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { startEmulator, RunningEmulator } from '@litemaas/litellm-emulator';
import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';
import { litemaasPlugin } from '../plugin';
import { permissionModuleLiteMaaSPolicy } from '../permissions/policyModule';

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
 * PostgreSQL), talking to a real LiteLLM emulator, with the real permission backend and
 * the portal's policy module (`permissionModuleLiteMaaSPolicy`).
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

  // The mock auth service drops who is calling on a user's behalf; production's keeps the
  // calling plugin as the actor, and the permission backend refuses resource permissions
  // without a resourceRef from a user with no actor. Keep it, as production does.
  const auth = createServiceFactory({
    service: coreServices.auth,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }): AuthService => {
      const mock = mockServices.auth({ pluginId: plugin.getId() });
      return Object.assign(Object.create(mock), {
        async getPluginRequestToken(
          tokenOptions: Parameters<AuthService['getPluginRequestToken']>[0],
        ) {
          const principal = tokenOptions.onBehalfOf.principal as {
            type: string;
            userEntityRef?: string;
          };
          if (principal.type !== 'user' || !principal.userEntityRef) {
            return mock.getPluginRequestToken(tokenOptions);
          }
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        },
      });
    },
  });

  const testBackend = await startTestBackend({
    features: [
      litemaasPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          // Development: the routes are tested without a reveal encryption key.
          auth: { environment: 'development' },
          litemaas: {
            litellm: { baseUrl: emulator.url, masterKey, timeoutMs: 2000 },
            adminGroups: [ADMIN_GROUP],
            ...options.config,
          },
        },
      }),
      userInfo,
      auth,
      // The real permission framework, as in the portal: the permission backend with the
      // portal's policy module, reached over HTTP by the real permissions service, and
      // the real registry serving the plugin's rules.
      permissionPlugin,
      permissionModuleLiteMaaSPolicy,
      permissionsServiceFactory,
      permissionsRegistryServiceFactory,
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
