import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
// The action and template tests run the real LiteMaaS backend next to the scaffolder.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import litemaasPlugin from '@litemaas/backstage-plugin-litemaas-backend';
import { RunningEmulator, startEmulator } from '@litemaas/litellm-emulator';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';

export const BOB = 'user:default/bob';
export const CAROL = 'user:default/carol';
export const MALLORY = 'user:default/mallory';
export const ALICE = 'user:default/alice';
export const PAYMENTS = 'group:default/payments';

/** The test organization: users and the groups they belong to. */
export const TEST_USERS: Record<string, string[]> = {
  [ALICE]: ['group:default/platform-team'],
  [BOB]: [PAYMENTS],
  [CAROL]: [PAYMENTS],
  [MALLORY]: ['group:default/outsiders'],
};

/** Resolves users to their groups as the catalog would. */
export const userInfoFactory = createServiceFactory({
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

/** A LiteLLM emulator and the config the LiteMaaS backend needs to use it. */
export async function startLiteMaaSEmulator(): Promise<{
  emulator: RunningEmulator;
  config: JsonObject;
}> {
  const masterKey = `sk-${randomBytes(16).toString('hex')}`;
  const emulator = await startEmulator({ port: 0, masterKey });
  return {
    emulator,
    config: {
      litemaas: {
        litellm: { baseUrl: emulator.url, masterKey, timeoutMs: 2000 },
        reveal: { encryptionKey: randomBytes(24).toString('hex') },
      },
    },
  };
}

/** Features every LiteMaaS test backend needs besides the config. */
export function litemaasFeatures(): BackendFeature[] {
  return [
    litemaasPlugin,
    userInfoFactory,
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
  ];
}

export function baseUrlOf(server: Server): string {
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

/** The LiteMaaS backend on its own, for action tests. */
export async function startLiteMaaSBackend() {
  const { emulator, config } = await startLiteMaaSEmulator();
  const backend = await startTestBackend({
    features: [
      ...litemaasFeatures(),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  const baseUrl = baseUrlOf(backend.server);
  return {
    server: backend.server,
    emulator,
    baseUrl,
    discovery: {
      getBaseUrl: async (pluginId: string) => `${baseUrl}/api/${pluginId}`,
      getExternalBaseUrl: async (pluginId: string) =>
        `${baseUrl}/api/${pluginId}`,
    },
    async stop() {
      await backend.stop();
      await emulator.close();
    },
  };
}

/** LiteLLM keys LiteMaaS minted in the emulator. */
export function managedKeys(emulator: RunningEmulator) {
  return [...emulator.state.keys.values()].filter(
    k => k.metadata?.managed_by === 'litemaas-backstage',
  );
}

/** Status of a chat completion with the key against the emulator (200 on success). */
export async function chatStatus(
  emulator: RunningEmulator,
  secret: string,
  model: string,
): Promise<number> {
  const res = await fetch(`${emulator.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${secret}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: 'ping' }],
    }),
  });
  return res.status;
}

/** A logger that keeps every line, with its metadata, as text. */
export function capturingLogger(lines: string[]): LoggerService {
  const make = (labels: Record<string, unknown>): LoggerService => {
    const log = (level: string) => (message: string, meta?: unknown) => {
      lines.push(
        JSON.stringify({ level, message, meta, labels }, (_k, v) =>
          v instanceof Error ? { message: v.message, stack: v.stack } : v,
        ),
      );
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: meta => make({ ...labels, ...meta }),
    };
  };
  return make({});
}

/** Pattern of a LiteLLM secret (masked display names like sk-...abcd do not match). */
export const SECRET_PATTERN = /sk-[A-Za-z0-9_-]{12,}/;
