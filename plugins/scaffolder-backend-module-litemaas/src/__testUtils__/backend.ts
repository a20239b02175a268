import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  ALICE,
  LiteMaaSTestBackend,
  PAYMENTS,
  startLiteMaaSTestBackend,
  testOrganizationGroups,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import { randomBytes } from 'node:crypto';

/**
 * The LiteMaaS backend's shared test harness (real database, LiteLLM emulator, real
 * permission backend with the portal's policy) with what the scaffolder actions need:
 * reveal delivery configured, the emulator's models synced, and the payments group
 * enabled as a LiteMaaS team (so it may own keys). `features` adds the scaffolder itself
 * for the template tests; the catalog holds the test organization and what the test adds
 * to `catalog`.
 */
export async function startLiteMaaSForScaffolder(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  features: BackendFeature[] = [],
  catalog: TestCatalog = growingTestCatalog(),
): Promise<LiteMaaSTestBackend> {
  const backend = await startLiteMaaSTestBackend({
    databases,
    databaseId,
    config: { reveal: { encryptionKey: randomBytes(24).toString('hex') } },
    features: [...features, catalog.factory],
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

/** The test catalog: the test organization, and entities a test adds while it runs. */
export interface TestCatalog {
  factory: BackendFeature;
  /** Makes `entity` readable from now on, as when the catalog has processed it. */
  add(entity: Entity): void;
}

/**
 * An in-memory catalog that can grow during a test, e.g. a component that a template
 * registers while a later step already waits for it.
 */
export function growingTestCatalog(entities: Entity[] = []): TestCatalog {
  let all = [...testOrganizationGroups(), ...entities];
  let current = catalogServiceMock({ entities: all });
  // Every call goes to the catalog of the moment; what it does not have (a `then` the
  // framework probes for, say) stays undefined.
  const service = new Proxy(
    {},
    {
      get: (_target, method) =>
        typeof (current as any)[method] === 'function'
          ? (...args: unknown[]) => (current as any)[method](...args)
          : undefined,
    },
  );
  return {
    factory: createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () => service as typeof current,
    }),
    add(entity) {
      all = [...all, entity];
      current = catalogServiceMock({ entities: all });
    },
  };
}
