import { BackendFeature } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  ALICE,
  LiteMaaSTestBackend,
  startLiteMaaSTestBackend,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import { randomBytes } from 'node:crypto';

/**
 * The LiteMaaS backend's shared test harness (real database, LiteLLM emulator, real
 * permission backend with the portal's policy) with what the scaffolder actions need:
 * reveal delivery configured and the emulator's models synced. `features` adds the
 * scaffolder itself for the template tests.
 */
export async function startLiteMaaSForScaffolder(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  features: BackendFeature[] = [],
): Promise<LiteMaaSTestBackend> {
  const backend = await startLiteMaaSTestBackend({
    databases,
    databaseId,
    config: { reveal: { encryptionKey: randomBytes(24).toString('hex') } },
    features,
  });
  const sync = await fetch(
    `${backend.baseUrl}/api/litemaas/admin/models/sync`,
    {
      method: 'POST',
      headers: { Authorization: backend.as(ALICE) },
    },
  );
  if (sync.status !== 200) {
    await backend.stop();
    throw new Error(`model sync answered ${sync.status}`);
  }
  return backend;
}
