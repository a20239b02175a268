import { mockServices } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(60_000);

const MIGRATION = '20261127000000_normalize_entity_refs.js';
const directory = resolvePackagePath(
  '@litemaas/backstage-plugin-litemaas-backend',
  'migrations',
);

describe('item 8: the entity ref migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'item 8: normalises the refs of existing rows, merges rows that differed by case, and rolls back, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      // Back to the schema before the migration, with rows written by earlier versions.
      await knex.migrate.down({ directory, name: MIGRATION });
      const now = new Date();
      await knex('litemaas_users').insert([
        {
          entity_ref: 'user:default/Dave',
          litellm_user_id: 'user:default/Dave',
          max_keys: 3,
          created_at: now,
          updated_at: now,
        },
        {
          entity_ref: 'user:default/dave',
          litellm_user_id: null,
          created_at: now,
          updated_at: now,
        },
      ]);
      const subscription = (id: string, subject: string, status: string) => ({
        id,
        subject_ref: subject,
        model_id: 'm',
        status,
        created_by: subject,
        created_at: now,
        updated_at: now,
      });
      await knex('litemaas_subscriptions').insert([
        subscription('s-upper', 'user:default/Dave', 'active'),
        subscription('s-lower', 'user:default/dave', 'cancelled'),
        subscription('s-group', 'group:default/Payments', 'active'),
      ]);
      await knex('litemaas_subscription_history').insert([
        {
          subscription_id: 's-upper',
          to_status: 'active',
          actor_ref: 'user:default/Dave',
          created_at: now,
        },
        {
          subscription_id: 's-lower',
          to_status: 'cancelled',
          actor_ref: 'user:default/dave',
          created_at: now,
        },
      ]);
      await knex('litemaas_keys').insert({
        id: 'k1',
        owner_ref: 'group:default/Payments',
        created_by: 'user:default/Dave',
        name: 'k',
        litellm_alias: 'k_1',
        metadata: '{}',
        status: 'active',
        blocked_by_admin: false,
        created_at: now,
        updated_at: now,
      });
      await knex('litemaas_teams').insert({
        group_ref: 'group:default/Payments',
        litellm_team_id: 'group:default/Payments',
        catalog_fields: '[]',
        created_by: 'user:default/Alice',
        created_at: now,
        updated_at: now,
      });
      await knex('litemaas_team_members').insert({
        group_ref: 'group:default/Payments',
        user_ref: 'user:default/Dave',
        added_at: now,
      });
      await knex('litemaas_audit').insert({
        occurred_at: now,
        actor_ref: 'user:default/Dave',
        action: 'key.create',
        outcome: 'success',
        details: '{}',
      });

      await knex.migrate.up({ directory, name: MIGRATION });

      expect(await knex('litemaas_users').select()).toEqual([
        expect.objectContaining({
          entity_ref: 'user:default/dave',
          // LiteLLM's own id of the user is kept as it was created.
          litellm_user_id: 'user:default/Dave',
          max_keys: 3,
        }),
      ]);
      const subscriptions = await knex('litemaas_subscriptions')
        .select('id', 'subject_ref', 'status')
        .orderBy('id');
      expect(subscriptions).toEqual([
        {
          id: 's-group',
          subject_ref: 'group:default/payments',
          status: 'active',
        },
        { id: 's-upper', subject_ref: 'user:default/dave', status: 'active' },
      ]);
      expect(
        await knex('litemaas_subscription_history')
          .orderBy('to_status')
          .select('subscription_id', 'actor_ref'),
      ).toEqual([
        { subscription_id: 's-upper', actor_ref: 'user:default/dave' },
        { subscription_id: 's-upper', actor_ref: 'user:default/dave' },
      ]);
      expect(
        await knex('litemaas_keys').select('owner_ref', 'created_by'),
      ).toEqual([
        {
          owner_ref: 'group:default/payments',
          created_by: 'user:default/dave',
        },
      ]);
      expect(await knex('litemaas_teams').pluck('group_ref')).toEqual([
        'group:default/payments',
      ]);
      expect(
        await knex('litemaas_team_members').select('group_ref', 'user_ref'),
      ).toEqual([
        { group_ref: 'group:default/payments', user_ref: 'user:default/dave' },
      ]);
      expect(await knex('litemaas_audit').pluck('actor_ref')).toEqual([
        'user:default/dave',
      ]);

      // Down works (it keeps the normalised refs, which every version reads) and up
      // again is a no-op.
      await knex.migrate.down({ directory, name: MIGRATION });
      await knex.migrate.up({ directory, name: MIGRATION });
      expect(await knex('litemaas_keys').pluck('owner_ref')).toEqual([
        'group:default/payments',
      ]);
    },
  );
});
