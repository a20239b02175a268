import path from 'node:path';
import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations, rollbackAllMigrations } from './migrations';
import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';

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
  'litemaas_usage_model_daily',
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
      // The refusal's own message is asserted. The "duplicate went through on SQLite"
      // once seen here was jest failing to recognise the refusal as an error when another
      // test file of the same worker had opened SQLite first; createTestDatabases now
      // prevents that (testUtils/databases.test.ts).
      expect(await duplicateSubscriptionError(knex)).toMatch(
        databaseId === 'SQLITE_3'
          ? /UNIQUE constraint failed: litemaas_subscriptions\.subject_ref, litemaas_subscriptions\.model_id/
          : /duplicate key value violates unique constraint "litemaas_subscriptions_subject_model_uq"/,
      );
    },
  );

  it('declares the unique subject-and-model index on SQLite', async () => {
    const knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(mockServices.database({ knex }));
    expect(await hasUniqueSubjectModelIndex(knex)).toBe(true);
  });

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

  it.each(databases.eachSupportedId())(
    'keeps usage rows and the owner index through the covering-index migration on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      const row = {
        date: '2026-11-30',
        key_hash: 'h1',
        model: 'm1',
        key_id: null,
        owner_ref: 'user:default/alice',
        user_ref: null,
        team_ref: null,
        requests_ok: 3,
        requests_failed: 1,
        prompt_tokens: 10,
        completion_tokens: 20,
        spend: 0.25,
      };
      await knex('litemaas_usage_daily').insert(row);
      const ownerIndex = () => indexSql(knex, 'litemaas_usage_daily_owner_idx');
      const migrations = {
        directory: path.resolve(__dirname, '../../migrations'),
      };
      const name = '20261201000000_usage_owner_covering_index.js';
      const latest = await ownerIndex();
      await knex.migrate.down({ ...migrations, name });
      const before = await ownerIndex();
      await knex.migrate.up({ ...migrations, name });
      expect(await ownerIndex()).toEqual(latest);
      expect(before).toMatch(/owner_ref.*date/);
      // PostgreSQL gets the covering index; SQLite (no INCLUDE) keeps its own.
      const covering =
        /\(owner_ref, date\) INCLUDE \(model, key_id, team_ref, requests_ok, requests_failed, prompt_tokens, completion_tokens, spend\)/;
      const postgres = databaseId !== 'SQLITE_3';
      expect(covering.test(latest ?? '')).toBe(postgres);
      expect(covering.test(before ?? '')).toBe(false);
      expect(latest === before).toBe(!postgres);
      const stored = await knex('litemaas_usage_daily').first();
      expect({
        ...stored,
        requests_ok: Number(stored.requests_ok),
        requests_failed: Number(stored.requests_failed),
        prompt_tokens: Number(stored.prompt_tokens),
        completion_tokens: Number(stored.completion_tokens),
      }).toEqual(row);
    },
  );

  it.each(databases.eachSupportedId())(
    'indexes team usage only, and the team report reads it, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      const row = (key: string, team: string | null) => ({
        date: '2026-11-30',
        key_hash: key,
        model: 'm1',
        key_id: null,
        owner_ref: team ?? 'user:default/alice',
        user_ref: null,
        team_ref: team,
        requests_ok: 1,
        requests_failed: 0,
        prompt_tokens: 1,
        completion_tokens: 1,
        spend: 0.5,
      });
      await knex('litemaas_usage_daily').insert([
        row('h1', null),
        row('h2', 'group:default/payments'),
      ]);
      const sqlite = databaseId === 'SQLITE_3';
      const teamIndex = () => indexSql(knex, 'litemaas_usage_daily_team_idx');
      const teamQuery = knex('litemaas_usage_daily')
        .where('team_ref', 'group:default/payments')
        .where('date', '>=', '2026-11-01')
        .sum({ spend: 'spend' });
      const plan = () => queryPlan(knex, teamQuery);

      expect(await teamIndex()).toMatch(/where \(?team_ref is not null\)?/i);
      expect(await plan()).toContain('litemaas_usage_daily_team_idx');
      const migrations = {
        directory: path.resolve(__dirname, '../../migrations'),
        name: '20261201010000_usage_team_index_partial.js',
      };
      await knex.migrate.down(migrations);
      expect(await teamIndex()).not.toMatch(/where/i);
      await knex.migrate.up(migrations);
      expect(await teamIndex()).toMatch(/where \(?team_ref is not null\)?/i);
      expect(await knex('litemaas_usage_daily').count({ n: '*' })).toEqual([
        { n: sqlite ? 2 : '2' },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    "drops the rollup's key index; a key's usage is read through the owner index, on %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      const keyIndex = () => indexSql(knex, 'litemaas_usage_daily_key_idx');
      // What UsageStore asks for one key's usage: the key, and its owner.
      const keyQuery = knex('litemaas_usage_daily')
        .where('date', '>=', '2026-11-01')
        .where('key_id', 'k1')
        .where(
          'owner_ref',
          knex('litemaas_keys').select('owner_ref').where('id', 'k1'),
        )
        .sum({ spend: 'spend' });
      expect(await keyIndex()).toBeUndefined();
      expect(await queryPlan(knex, keyQuery)).toContain(
        'litemaas_usage_daily_owner_idx',
      );
      const migrations = {
        directory: path.resolve(__dirname, '../../migrations'),
        name: '20261203000000_usage_key_index_dropped.js',
      };
      await knex.migrate.down(migrations);
      expect(await keyIndex()).toMatch(/\(`?key_id`?, `?date`?\)/);
      await knex.migrate.up(migrations);
      expect(await keyIndex()).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'fills the per-model usage summary from the rows already synced, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      const migrations = {
        directory: path.resolve(__dirname, '../../migrations'),
        name: '20261202000000_usage_model_daily.js',
      };
      await knex.migrate.down(migrations);
      expect(await knex.schema.hasTable('litemaas_usage_model_daily')).toBe(
        false,
      );
      const row = (key: string, date: string, model: string, n: number) => ({
        date,
        key_hash: key,
        model,
        key_id: null,
        owner_ref: 'user:default/alice',
        user_ref: null,
        team_ref: null,
        requests_ok: n,
        requests_failed: 1,
        prompt_tokens: 10 * n,
        completion_tokens: 2 ** 40,
        spend: 0.25 * n,
      });
      await knex('litemaas_usage_daily').insert([
        row('h1', '2026-11-30', 'm1', 1),
        row('h2', '2026-11-30', 'm1', 2),
        row('h1', '2026-11-30', 'm2', 3),
        row('h1', '2026-12-01', 'm1', 4),
      ]);
      await knex.migrate.up(migrations);
      const summary = (await knex('litemaas_usage_model_daily')
        .select()
        .orderBy(['date', 'model'])) as Record<string, unknown>[];
      expect(
        summary.map(r => ({
          ...r,
          requests_ok: Number(r.requests_ok),
          requests_failed: Number(r.requests_failed),
          prompt_tokens: Number(r.prompt_tokens),
          completion_tokens: Number(r.completion_tokens),
        })),
      ).toEqual([
        {
          date: '2026-11-30',
          model: 'm1',
          requests_ok: 3,
          requests_failed: 2,
          prompt_tokens: 30,
          completion_tokens: 2 ** 41,
          spend: 0.75,
        },
        {
          date: '2026-11-30',
          model: 'm2',
          requests_ok: 3,
          requests_failed: 1,
          prompt_tokens: 30,
          completion_tokens: 2 ** 40,
          spend: 0.75,
        },
        {
          date: '2026-12-01',
          model: 'm1',
          requests_ok: 4,
          requests_failed: 1,
          prompt_tokens: 40,
          completion_tokens: 2 ** 40,
          spend: 1,
        },
      ]);
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

/** The SQL that defines an index, undefined when there is no such index. */
async function indexSql(knex: Knex, name: string): Promise<string | undefined> {
  if (String(knex.client.config.client).includes('sqlite')) {
    return (
      await knex('sqlite_master').where({ type: 'index', name }).pluck('sql')
    )[0];
  }
  const { rows } = await knex.raw(
    'select indexdef from pg_indexes where indexname = ?',
    [name],
  );
  return rows[0]?.indexdef;
}

/**
 * The plan the database makes for a query, as text. On PostgreSQL table scans are
 * forbidden for it: on a few rows only that makes the planner show which index it would
 * use.
 */
async function queryPlan(
  knex: Knex,
  query: Knex.QueryBuilder,
): Promise<string> {
  const { sql, bindings } = query.toSQL().toNative();
  if (String(knex.client.config.client).includes('sqlite')) {
    return JSON.stringify(
      await knex.raw(`explain query plan ${sql}`, bindings as any[]),
    );
  }
  return knex.transaction(async tx => {
    await tx.raw('set local enable_seqscan = off');
    const { rows } = await tx.raw(
      `explain ${sql.replace(/\$\d+/g, '?')}`,
      bindings as any[],
    );
    return JSON.stringify(rows);
  });
}

async function hasUniqueSubjectModelIndex(knex: Knex): Promise<boolean> {
  const indexes: string[] = await knex('sqlite_master')
    .where({ type: 'index', tbl_name: 'litemaas_subscriptions' })
    .pluck('sql');
  return indexes.some(sql =>
    /create unique index .*litemaas_subscriptions_subject_model_uq.*\(`subject_ref`, `model_id`\)/i.test(
      sql ?? '',
    ),
  );
}

/** Inserts the same subject and model twice; the second insert's error message. */
async function duplicateSubscriptionError(knex: Knex): Promise<string> {
  const row = (id: string) => ({
    id,
    subject_ref: 'user:default/alice',
    model_id: 'm',
    status: 'active',
    created_by: 'user:default/alice',
    created_at: new Date(),
    updated_at: new Date(),
  });
  await knex('litemaas_subscriptions').insert(row('a'));
  try {
    await knex('litemaas_subscriptions').insert(row('b'));
  } catch (error) {
    return String(error);
  }
  return 'the duplicate was inserted';
}
