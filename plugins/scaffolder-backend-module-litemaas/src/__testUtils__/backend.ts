import { BackendFeature } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  ALICE,
  LiteMaaSTestBackend,
  PAYMENTS,
  startLiteMaaSTestBackend,
  testCatalog,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import { randomBytes } from 'node:crypto';

/**
 * The LiteMaaS backend's shared test harness (real database, LiteLLM emulator, real
 * permission backend with the portal's policy) with what the scaffolder actions need:
 * reveal delivery configured, the emulator's models synced, and the payments group
 * enabled as a LiteMaaS team (so it may own keys). `features` adds the scaffolder itself
 * for the template tests; the catalog holds the test organization and `entities`.
 */
export async function startLiteMaaSForScaffolder(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  features: BackendFeature[] = [],
  entities: Entity[] = [],
): Promise<LiteMaaSTestBackend> {
  const backend = await startLiteMaaSTestBackend({
    databases,
    databaseId,
    config: { reveal: { encryptionKey: randomBytes(24).toString('hex') } },
    features: [...features, testCatalog(entities)],
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
  const team = await fetch(`${backend.baseUrl}/api/litemaas/admin/teams`, {
    method: 'POST',
    headers: {
      Authorization: backend.as(ALICE),
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ group: PAYMENTS }),
  });
  if (team.status !== 201) {
    await backend.stop();
    throw new Error(`enabling the payments team answered ${team.status}`);
  }
  return backend;
}
