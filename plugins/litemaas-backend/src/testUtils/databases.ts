import { TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The database engines every store and route test runs on: SQLite always, and
 * PostgreSQL when `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING` names a server
 * (scripts/test.sh sets it when PostgreSQL answers). Never Docker.
 *
 * `TestDatabases` silently drops an engine whose connection string is unset; when
 * `LITEMAAS_TEST_REQUIRE_POSTGRES=1` (scripts/test.sh under CI=true) that is an error
 * instead, so a strict run can never pass on SQLite alone.
 *
 * @public
 */
export function createTestDatabases(): TestDatabases {
  if (
    process.env.LITEMAAS_TEST_REQUIRE_POSTGRES === '1' &&
    !process.env[POSTGRES_ENV]
  ) {
    throw new Error(
      `PostgreSQL is required (LITEMAAS_TEST_REQUIRE_POSTGRES=1) but ${POSTGRES_ENV} is not set`,
    );
  }
  return TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });
}
