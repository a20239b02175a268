import { TestDatabases } from '@backstage/backend-test-utils';
import { existsSync } from 'node:fs';
import path from 'node:path';

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
  useThisRealmForSqliteErrors();
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

/** better-sqlite3's native addon: loaded once per process, whatever jest does. */
type SqliteAddon = {
  isInitialized?: boolean;
  setErrorConstructor(constructor: Function): void;
};

/** The addon the `better-sqlite3` package opens databases with, if it is installed. */
export function sqliteAddon(): SqliteAddon | undefined {
  let entry: string;
  try {
    entry = require.resolve('better-sqlite3');
  } catch {
    return undefined;
  }
  const file = path.join(
    path.dirname(entry),
    '../build/Release/better_sqlite3.node',
  );
  // A computed path: jest hands .node files to Node's own require, so this is the very
  // object better-sqlite3 holds, not a per-test-file copy.
  return existsSync(file) ? (require(file) as SqliteAddon) : undefined;
}

/**
 * Makes the SQLite errors of this test file instances of this test file's `Error`.
 *
 * Jest gives each test file its own globals (its own `Error`) but loads a native addon
 * once per worker process. better-sqlite3 hands its addon the `SqliteError` class of the
 * first file that opens a database and marks the addon initialised, so in every later
 * file of the same worker each SQLite error (a unique violation, say) belongs to the
 * first file's realm: `error instanceof Error` is false there, and
 * `expect(insert).rejects.toThrow(...)` reports "Received function did not throw" for an
 * insert SQLite refused. That is the "duplicate insert went through on SQLite" once seen
 * in full runs (several files per worker) and never in a file run alone; nothing was
 * ever inserted. Clearing the mark makes the next database this file opens hand over this
 * file's class.
 */
function useThisRealmForSqliteErrors() {
  const addon = sqliteAddon();
  if (addon) addon.isInitialized = false;
}
