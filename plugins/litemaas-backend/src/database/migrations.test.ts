import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations, rollbackAllMigrations } from './migrations';
import { mockServices } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const TABLES = [
  'litemaas_meta',
  'litemaas_models',
  'litemaas_users',
  'litemaas_subscriptions',
  'litemaas_subscription_history',
  'litemaas_keys',
  'litemaas_key_models',
  'litemaas_audit',
  'litemaas_reveals',
  'litemaas_teams',
  'litemaas_team_members',
  'litemaas_usage_daily',
  'litemaas_usage_sync_days',
  'litemaas_alerts',
];

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'apply, roll back and apply again on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const existing = async () => {
        const found = [];
        for (const table of TABLES) {
          if (await knex.schema.hasTable(table)) {
            found.push(table);
          }
        }
        return found;
      };

      await applyDatabaseMigrations(database);
      expect(await existing()).toEqual(TABLES);

      await rollbackAllMigrations(knex);
      expect(await existing()).toEqual([]);

      await applyDatabaseMigrations(database);
      expect(await existing()).toEqual(TABLES);
      await knex('litemaas_meta').insert({ key: 'probe', value: 'x' });
      expect(await knex('litemaas_meta').pluck('value')).toEqual(['x']);
    },
  );

  it.each(databases.eachSupportedId())(
    'enforces one subscription per subject and model on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      // A duplicate is refused by the database itself, with the unique index's error.
      await knex('litemaas_subscriptions').insert(subscriptionRow('a'));
      await expect(
        knex('litemaas_subscriptions').insert(subscriptionRow('b')),
      ).rejects.toThrow(/unique/i);
      expect(await knex('litemaas_subscriptions').pluck('id')).toEqual(['a']);
    },
  );

  it.each(databases.eachSupportedId())(
    'has no column that could hold a key secret on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      const columns = Object.keys(await knex('litemaas_keys').columnInfo());
      expect(columns).toContain('litellm_key_hash');
      expect(
        columns.filter(c => /secret|token|key_value|^key$/.test(c)),
      ).toEqual([]);
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

function subscriptionRow(id: string) {
  return {
    id,
    subject_ref: 'user:default/alice',
    model_id: 'm',
    status: 'active',
    created_by: 'user:default/alice',
    created_at: new Date(),
    updated_at: new Date(),
  };
}
