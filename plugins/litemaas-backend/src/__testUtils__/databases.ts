import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * The database engines every store and route test runs on: SQLite always, and
 * PostgreSQL when `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING` names a server
 * (scripts/test.sh sets it when 127.0.0.1:5432 answers). Never Docker.
 */
export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });
}
