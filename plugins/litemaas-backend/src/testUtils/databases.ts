import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { migrationsDir } from '../database/migrations';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/** Any number: the key of the advisory lock the template builds take. */
const TEMPLATE_LOCK_KEY = 7_150_417;

/** A short hash of the migration files' names and contents. */
function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir).sort()) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(migrationsDir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Copies of the migrated template database on one PostgreSQL server. */
class PostgresTemplateCopies {
  readonly #server: string;
  #admin?: Knex;
  #template?: Promise<string>;
  readonly #copies: Array<{ name: string; knex: Knex }> = [];

  constructor(connectionString: string) {
    this.#server = connectionString;
  }

  async create(): Promise<Knex> {
    const template = await (this.#template ??= this.#ensureTemplate());
    const name = `db${randomBytes(16).toString('hex')}`;
    // PostgreSQL refuses a template someone is connected to; autovacuum may be, for a
    // moment (CREATE DATABASE waits up to 5 s for it), so a refusal is tried again.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#adminClient().raw('create database ?? template ??', [
          name,
          template,
        ]);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 5) {
          throw error;
        }
        await new Promise(resolve => setTimeout(resolve, 200 * attempt));
      }
    }
    const knex = knexFactory({
      client: 'pg',
      connection: this.#url(name),
      pool: { min: 0, max: 5, idleTimeoutMillis: 5_000 },
    });
    this.#copies.push({ name, knex });
    return knex;
  }

  async shutdown(): Promise<void> {
    for (const { knex } of this.#copies) {
      await knex.destroy().catch(() => {});
    }
    for (const { name } of this.#copies.splice(0)) {
      await this.#adminClient()
        .raw('drop database if exists ??', [name])
        .catch(() => {});
    }
    await this.#admin?.destroy();
    this.#admin = undefined;
  }

  /**
   * The template of the current migrations, built if no earlier file or run built it:
   * under an advisory lock (two jest workers may get here at once), migrated under a
   * temporary name and renamed when complete, so an interrupted build is never used.
   */
  async #ensureTemplate(): Promise<string> {
    const name = `litemaas_test_template_${migrationsFingerprint()}`;
    const admin = this.#adminClient();
    const exists = async () =>
      (
        await admin
          .select('datname')
          .from('pg_database')
          .where({ datname: name })
      ).length > 0;
    if (await exists()) return name;
    await admin.transaction(async lock => {
      await lock.raw('select pg_advisory_xact_lock(?)', [TEMPLATE_LOCK_KEY]);
      if (await exists()) return;
      const building = `${name}_building`;
      await admin.raw('drop database if exists ??', [building]);
      await admin.raw('create database ??', [building]);
      const knex = knexFactory({
        client: 'pg',
        connection: this.#url(building),
      });
      try {
        await knex.migrate.latest({ directory: migrationsDir });
      } finally {
        await knex.destroy();
      }
      await admin.raw('alter database ?? rename to ??', [building, name]);
    });
    return name;
  }

  #adminClient(): Knex {
    this.#admin ??= knexFactory({
      client: 'pg',
      connection: this.#url('postgres'),
      pool: { min: 0, max: 2 },
    });
    return this.#admin;
  }

  #url(database: string): string {
    const url = new URL(this.#server);
    url.pathname = `/${database}`;
    return url.toString();
  }
}

const templateCopies = new WeakMap<TestDatabases, PostgresTemplateCopies>();

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
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });
  const postgres = process.env[POSTGRES_ENV];
  if (postgres && databases.supports('POSTGRES_15')) {
    const copies = new PostgresTemplateCopies(postgres);
    templateCopies.set(databases, copies);
    afterAll(() => copies.shutdown(), 60_000);
  }
  return databases;
}

/**
 * A fresh database of engine `id` whose schema is the plugin's migrations, for a backend
 * under test. On PostgreSQL it is a copy (`CREATE DATABASE … TEMPLATE`, about 60 ms) of
 * a database migrated once per machine and set of migrations, instead of an empty one
 * that the plugin then migrates at start (ten migrations, 200-350 ms on two busy cores,
 * paid by every one of the few hundred backends the tests start). The plugin still runs
 * `migrate.latest` at start and finds nothing to do. SQLite: an empty database, migrated
 * by the plugin as before. Dropped with the other test databases after the file.
 */
export async function initMigratedDatabase(
  databases: TestDatabases,
  id: TestDatabaseId,
): Promise<Knex> {
  const copies = templateCopies.get(databases);
  return id === 'POSTGRES_15' && copies ? copies.create() : databases.init(id);
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
