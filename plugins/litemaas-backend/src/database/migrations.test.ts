import { createTestDatabases } from '../__testUtils__/databases';
import { applyDatabaseMigrations, rollbackAllMigrations } from './migrations';
import { mockServices } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'apply, roll back and apply again on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });

      await applyDatabaseMigrations(database);
      expect(await knex.schema.hasTable('litemaas_meta')).toBe(true);

      await rollbackAllMigrations(knex);
      expect(await knex.schema.hasTable('litemaas_meta')).toBe(false);

      await applyDatabaseMigrations(database);
      await knex('litemaas_meta').insert({ key: 'probe', value: 'x' });
      expect(await knex('litemaas_meta').pluck('value')).toEqual(['x']);
    },
  );

  it('leaves the schema alone when migrations are skipped', async () => {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({
      knex,
      migrations: { skip: true },
    });
    await applyDatabaseMigrations(database);
    expect(await knex.schema.hasTable('litemaas_meta')).toBe(false);
  });
});
