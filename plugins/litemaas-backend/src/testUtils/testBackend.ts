import {
  AuthService,
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
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
import permissionPlugin from '@backstage/plugin-permission-backend';
import { JsonObject } from '@backstage/types';
import {
  EmulatorOptions,
  RunningEmulator,
  startEmulator,
} from '@litemaas/litellm-emulator';
import { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { permissionModuleLiteMaaSPolicy } from '../permissions/policyModule';
import { litemaasPlugin } from '../plugin';
import { litemaasClockServiceRef } from '../services/clock';
import { ADMIN_GROUP, TEST_USERS } from './users';
import { initMigratedDatabase } from './databases';

/** A LiteMaaS backend started by {@link startLiteMaaSTestBackend}. @public */
export interface LiteMaaSTestBackend {
  /** The HTTP server, for supertest. */
  server: Server;
  /** `http://localhost:<port>` of the server. */
  baseUrl: string;
  /** A discovery service that finds every plugin of this backend. */
  discovery: {
    getBaseUrl(pluginId: string): Promise<string>;
    getExternalBaseUrl(pluginId: string): Promise<string>;
  };
  /** The LiteLLM emulator the backend talks to. */
  emulator: RunningEmulator;
  /** The LiteMaaS plugin's database. */
  knex: Knex;
  /**
   * The database of another plugin of this backend (e.g. `scaffolder`), to watch what
   * that plugin still does with it before the test stops the backend.
   */
  pluginDatabase(pluginId: string): Promise<Knex>;
  /** The Authorization header of a signed-in user. */
  as(userRef: string): string;
  /** The Authorization header of a service principal (e.g. another plugin). */
  service(): string;
  /**
   * Moves time forward for the LiteMaaS services and for the emulator (LiteLLM) alike,
   * so grace periods, delays and budget periods pass without waiting.
   */
  advanceClock(ms: number): void;
  /** The time the LiteMaaS services see. */
  now(): Date;
  stop(): Promise<void>;
}

/** @public */
export interface LiteMaaSTestBackendOptions {
  databases: TestDatabases;
  /** The engine of every plugin's database in this backend. */
  databaseId: TestDatabaseId;
  /** Config under `litemaas` (merged over the emulator's connection). */
  config?: Record<string, unknown>;
  /** Config of other plugins (e.g. `catalog`), at the root. */
  rootConfig?: JsonObject;
  emulator?: Partial<EmulatorOptions>;
  /** `litemaas.litellm.timeoutMs`: how long the client waits for one LiteLLM answer (default 2000). */
  litellmTimeoutMs?: number;
  /** `litemaas.litellm.retry`: the client's retries of reads (its defaults when unset). */
  litellmRetry?: {
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
  };
  /** Other plugins, modules or service factories (e.g. the scaffolder, a catalog mock). */
  features?: BackendFeature[];
}

/**
 * Resolves users to their groups as the catalog would, from {@link TEST_USERS}.
 */
const userInfoFactory = createServiceFactory({
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

/**
 * The mock auth service drops who is calling on a user's behalf; production's keeps the
 * calling plugin as the actor, and the permission backend refuses resource permissions
 * without a resourceRef from a user with no actor. This one keeps it, as production does.
 */
const authFactory = createServiceFactory({
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

/**
 * Every plugin of the backend gets a database of its own on the same engine: LiteMaaS the
 * one the test reads, the others (scaffolder, catalog) a fresh one each.
 */
function pluginDatabases(
  knex: Knex,
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const others = new Map<string, Promise<Knex>>();
  const get = async (id: string) => {
    if (id === 'litemaas') return knex;
    if (!others.has(id)) others.set(id, databases.init(databaseId));
    return others.get(id)!;
  };
  return {
    get,
    factory: createServiceFactory({
      service: coreServices.database,
      deps: { plugin: coreServices.pluginMetadata },
      factory: ({ plugin }) => ({ getClient: () => get(plugin.getId()) }),
    }),
  };
}

/**
 * The LiteMaaS backend plugin in a real test backend, on a real database (SQLite or
 * PostgreSQL), talking to a real LiteLLM emulator, with the real permission backend and
 * the portal's policy module (`permissionModuleLiteMaaSPolicy`); users and groups come
 * from {@link TEST_USERS}. Other plugins and modules (the scaffolder, the catalog) can run
 * next to it through `features`.
 *
 * @public
 */
export async function startLiteMaaSTestBackend(
  options: LiteMaaSTestBackendOptions,
): Promise<LiteMaaSTestBackend> {
  const masterKey = `sk-${randomBytes(16).toString('hex')}`;
  const emulator = await startEmulator({
    port: 0,
    masterKey,
    ...options.emulator,
  });
  try {
    const knex = await initMigratedDatabase(
      options.databases,
      options.databaseId,
    );
    // Real time plus what the test moved forward, as the emulator keeps its own clock.
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    const pluginDbs = pluginDatabases(
      knex,
      options.databases,
      options.databaseId,
    );
    const testBackend = await startTestBackend({
      features: [
        litemaasPlugin,
        createServiceFactory({
          service: litemaasClockServiceRef,
          deps: {},
          factory: () => ({ now }),
        }),
        pluginDbs.factory,
        mockServices.rootConfig.factory({
          data: {
            // Development: the routes are tested without a reveal encryption key.
            auth: { environment: 'development' },
            ...options.rootConfig,
            permission: { enabled: true },
            litemaas: {
              litellm: {
                baseUrl: emulator.url,
                masterKey,
                timeoutMs: options.litellmTimeoutMs ?? 2000,
                ...(options.litellmRetry && { retry: options.litellmRetry }),
              },
              adminGroups: [ADMIN_GROUP],
              ...options.config,
            },
          },
        }),
        userInfoFactory,
        authFactory,
        // The real permission framework, as in the portal: the permission backend with
        // the portal's policy module, reached over HTTP by the real permissions service,
        // and the real registry serving the plugin's rules.
        permissionPlugin,
        permissionModuleLiteMaaSPolicy,
        permissionsServiceFactory,
        permissionsRegistryServiceFactory,
        ...(options.features ?? []),
      ],
    });
    const baseUrl = `http://localhost:${
      (testBackend.server.address() as AddressInfo).port
    }`;
    const pluginUrl = async (pluginId: string) => `${baseUrl}/api/${pluginId}`;
    return {
      server: testBackend.server,
      baseUrl,
      discovery: { getBaseUrl: pluginUrl, getExternalBaseUrl: pluginUrl },
      emulator,
      knex,
      pluginDatabase: pluginDbs.get,
      as: userRef => mockCredentials.user.header(userRef),
      service: () => mockCredentials.service.header(),
      advanceClock(ms: number) {
        offsetMs += ms;
        emulator.advanceClock(ms);
      },
      now,
      async stop() {
        try {
          await testBackend.stop();
        } finally {
          await emulator.close();
        }
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}

/**
 * A notification service factory that keeps everything sent in `sent`, for the
 * `features` of {@link startLiteMaaSTestBackend}.
 *
 * @public
 */
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
