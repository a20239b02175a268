import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { startEmulator, RunningEmulator } from '@litemaas/litellm-emulator';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { createTestDatabases } from '../../testUtils';
import { DEVELOPMENT_SECRETS } from '../../config';
import { litemaasPlugin } from '../../plugin';

jest.setTimeout(60_000);

const REAL_MASTER_KEY = `sk-${randomBytes(16).toString('hex')}`;
const REAL_REVEAL_KEY = randomBytes(24).toString('hex');

describe('item 9: production refuses development secrets', () => {
  const databases = createTestDatabases();
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, masterKey: REAL_MASTER_KEY });
  });
  afterEach(async () => emulator.close());

  async function start(
    databaseId: Parameters<typeof databases.init>[0],
    data: { environment?: string; masterKey?: string; revealKey?: string },
  ) {
    const knex = await databases.init(databaseId);
    return startTestBackend({
      features: [
        litemaasPlugin,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            ...(data.environment
              ? { auth: { environment: data.environment } }
              : {}),
            litemaas: {
              litellm: {
                baseUrl: emulator.url,
                timeoutMs: 2000,
                ...(data.masterKey ? { masterKey: data.masterKey } : {}),
              },
              ...(data.revealKey
                ? { reveal: { encryptionKey: data.revealKey } }
                : {}),
            },
          },
        }),
      ],
    });
  }

  it.each(databases.eachSupportedId())(
    'item 9: outside development the backend will not start on a development or missing secret, on %p',
    async databaseId => {
      // What production got when LITELLM_MASTER_KEY / LITEMAAS_REVEAL_KEY were unset:
      // app-config.yaml's development values, layered under app-config.production.yaml.
      await expect(
        start(databaseId, {
          environment: 'production',
          masterKey: 'sk-dev-master-key',
          revealKey: REAL_REVEAL_KEY,
        }),
      ).rejects.toThrow(
        /litemaas\.litellm\.masterKey is a development default.*LITELLM_MASTER_KEY/,
      );
      await expect(
        start(databaseId, {
          environment: 'production',
          masterKey: REAL_MASTER_KEY,
          revealKey: 'dev-only-reveal-passphrase-change-me',
        }),
      ).rejects.toThrow(
        /litemaas\.reveal\.encryptionKey is a development default.*LITEMAAS_REVEAL_KEY/,
      );
      await expect(
        start(databaseId, {
          environment: 'production',
          masterKey: REAL_MASTER_KEY,
        }),
      ).rejects.toThrow(/litemaas\.reveal\.encryptionKey is missing/);
      // No explicit `auth.environment: development` counts as production.
      await expect(
        start(databaseId, {
          masterKey: 'sk-dev-master-key',
          revealKey: REAL_REVEAL_KEY,
        }),
      ).rejects.toThrow(/development default/);

      // Real secrets start; development starts on the development defaults.
      const production = await start(databaseId, {
        environment: 'production',
        masterKey: REAL_MASTER_KEY,
        revealKey: REAL_REVEAL_KEY,
      });
      expect(
        (await request(production.server).get('/api/litemaas/health')).status,
      ).toBe(200);
      await production.stop();
      const development = await start(databaseId, {
        environment: 'development',
        masterKey: 'sk-dev-master-key',
        revealKey: 'dev-only-reveal-passphrase-change-me',
      });
      expect(
        (await request(development.server).get('/api/litemaas/health')).status,
      ).toBe(200);
      await development.stop();
    },
  );

  it("item 9: knows every development default of the repository's app-config.yaml", () => {
    const text = readFileSync(
      resolve(__dirname, '../../../../../app-config.yaml'),
      'utf8',
    );
    const defaults = [
      ...text.matchAll(
        /\$\{(LITELLM_MASTER_KEY|LITEMAAS_REVEAL_KEY):-([^}]+)\}/g,
      ),
    ].map(m => m[2]);
    expect(defaults).toHaveLength(2);
    for (const value of defaults) {
      expect(DEVELOPMENT_SECRETS).toContain(value);
    }
  });
});
