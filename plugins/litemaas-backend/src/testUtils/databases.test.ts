import vm from 'node:vm';
import knexFactory, { Knex } from 'knex';
import { readdirSync } from 'node:fs';
import { migrationsDir } from '../database/migrations';
import {
  createTestDatabases,
  initMigratedDatabase,
  sqliteAddon,
} from './databases';

/**
 * better-sqlite3's SqliteError as the first test file of a jest worker leaves it in the
 * native addon: a class of another realm (that file's globals), not of this file's.
 */
function otherRealmSqliteError(): Function {
  return vm.runInNewContext(`(function () {
    function SqliteError(message, code) {
      if (new.target !== SqliteError) return new SqliteError(message, code);
      Error.call(this, message);
      Object.defineProperty(this, 'message', { value: '' + message, writable: true, configurable: true });
      this.code = code;
    }
    Object.setPrototypeOf(SqliteError, Error);
    Object.setPrototypeOf(SqliteError.prototype, Error.prototype);
    return SqliteError;
  })()`);
}

const addon = sqliteAddon()!;

/** What an earlier test file in the same worker leaves behind. */
function leaveAnEarlierFilesErrorClass() {
  addon.setErrorConstructor(otherRealmSqliteError());
  addon.isInitialized = true;
}

const DUPLICATE = /UNIQUE constraint failed: t\.name/;

/** Inserts the same unique value twice into a new table: what the second insert threw. */
async function duplicateRefusal(knex: Knex): Promise<unknown> {
  await knex.schema.createTable('t', table => table.string('name').unique());
  await knex('t').insert({ name: 'a' });
  return knex('t')
    .insert({ name: 'a' })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
}

// Before createTestDatabases, as when this file is not the first of its jest worker.
leaveAnEarlierFilesErrorClass();

describe('createTestDatabases on SQLite', () => {
  const databases = createTestDatabases();

  afterAll(() => {
    addon.isInitialized = false;
  });

  it("refuses a duplicate with an error of this test file's realm, whichever file ran before", async () => {
    const knex = await databases.init('SQLITE_3');
    const refusal = await duplicateRefusal(knex);

    expect(refusal).toBeInstanceOf(Error);
    expect(String(refusal)).toMatch(DUPLICATE);
    await expect(knex('t').insert({ name: 'a' })).rejects.toThrow(DUPLICATE);
    expect(await knex('t').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('is needed: without it, the refusal belongs to the earlier file and jest sees no error', async () => {
    leaveAnEarlierFilesErrorClass();
    // Opened as TestDatabases opens SQLite, without createTestDatabases' reset.
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const refusal = await duplicateRefusal(knex);
    await knex.destroy();

    expect(String(refusal)).toMatch(DUPLICATE);
    expect(refusal instanceof Error).toBe(false);
    // The old flake's words, for a promise SQLite did reject:
    const jestsVerdict = await expect(Promise.reject(refusal))
      .rejects.toThrow(DUPLICATE)
      .then(
        () => 'a refusal',
        (failure: Error) => failure.message,
      );
    expect(jestsVerdict).toContain('Received function did not throw');
  });
});

describe('initMigratedDatabase', () => {
  const databases = createTestDatabases();
  const migrations = readdirSync(migrationsDir).sort();

  it.each(databases.eachSupportedId())(
    'gives each backend a database of its own with the whole schema, on %s',
    async id => {
      const first = await initMigratedDatabase(databases, id);
      const second = await initMigratedDatabase(databases, id);

      // What the plugin does at start: on PostgreSQL the copy of the template has every
      // migration already; SQLite starts empty and is migrated here.
      const [, applied] = await first.migrate.latest({
        directory: migrationsDir,
      });
      expect(applied).toEqual(id === 'POSTGRES_15' ? [] : migrations);
      await second.migrate.latest({ directory: migrationsDir });
      const [done, pending] = await first.migrate.list({
        directory: migrationsDir,
      });
      expect(done.map((m: { name: string }) => m.name)).toEqual(migrations);
      expect(pending).toEqual([]);

      // Copies, not one database: what one backend writes the other does not see.
      await first('litemaas_meta').insert({ key: 'k', value: 'first' });
      expect(await first('litemaas_meta').pluck('value')).toEqual(['first']);
      expect(await second('litemaas_meta').pluck('value')).toEqual([]);
    },
  );
});
