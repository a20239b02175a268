// @ts-check

/**
 * Teams (Backstage groups with a LiteLLM team), the daily usage rollup synced from
 * LiteLLM, the sync bookkeeping per day, and sent alerts (one per subject, kind and
 * period).
 *
 * Same conventions as the core migration: timestamps written by the stores, JSON as
 * text, string ids.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('litemaas_teams', table => {
    table.comment('Backstage groups for which LiteMaaS runs a LiteLLM team');
    table
      .string('group_ref', 255)
      .primary()
      .notNullable()
      .comment('Backstage group entity ref');
    table
      .string('litellm_team_id', 255)
      .notNullable()
      .unique({ indexName: 'litemaas_teams_litellm_id_uq' });
    table.string('display_name', 255).nullable();
    table.double('max_budget').nullable();
    table.string('budget_duration', 32).nullable();
    table.integer('tpm_limit').nullable();
    table.integer('rpm_limit').nullable();
    table
      .text('allowed_models')
      .nullable()
      .comment('JSON array; null = bounded by subscriptions only');
    table
      .text('catalog_fields')
      .notNullable()
      .comment('JSON array of settings that come from catalog annotations');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('last_synced_at', { useTz: true }).nullable();
  });

  await knex.schema.createTable('litemaas_team_members', table => {
    table.comment('LiteLLM team membership as last synced from the catalog');
    table
      .string('group_ref', 255)
      .notNullable()
      .references('group_ref')
      .inTable('litemaas_teams')
      .onDelete('CASCADE');
    table.string('user_ref', 255).notNullable();
    table.timestamp('added_at', { useTz: true }).notNullable();
    table.primary(['group_ref', 'user_ref'], 'litemaas_team_members_pk');
    table.index(['user_ref'], 'litemaas_team_members_user_idx');
  });

  await knex.schema.createTable('litemaas_usage_daily', table => {
    table.comment(
      'Daily usage per key and model, synced from LiteLLM daily activity',
    );
    table.string('date', 10).notNullable().comment('UTC date YYYY-MM-DD');
    table
      .string('key_hash', 255)
      .notNullable()
      .comment('LiteLLM token hash; empty when LiteLLM gave none');
    table.string('model', 255).notNullable();
    table
      .string('key_id', 36)
      .nullable()
      .comment('LiteMaaS key; null = unattributed (unknown to LiteMaaS)');
    table
      .string('owner_ref', 255)
      .nullable()
      .comment('Owner of the key: user, group, component or system');
    table.string('user_ref', 255).nullable().comment('LiteLLM user of the key');
    table
      .string('team_ref', 255)
      .nullable()
      .comment('LiteMaaS team (group ref) the usage counts against');
    table.bigInteger('requests_ok').notNullable();
    table.bigInteger('requests_failed').notNullable();
    table.bigInteger('prompt_tokens').notNullable();
    table.bigInteger('completion_tokens').notNullable();
    table.double('spend').notNullable();
    table.primary(['date', 'key_hash', 'model'], 'litemaas_usage_daily_pk');
    table.index(['owner_ref', 'date'], 'litemaas_usage_daily_owner_idx');
    table.index(['user_ref', 'date'], 'litemaas_usage_daily_user_idx');
    table.index(['team_ref', 'date'], 'litemaas_usage_daily_team_idx');
    table.index(['key_id', 'date'], 'litemaas_usage_daily_key_idx');
  });

  await knex.schema.createTable('litemaas_usage_sync_days', table => {
    table.comment('Which days of usage were synced, and which are final');
    table.string('date', 10).primary().notNullable();
    table.boolean('final').notNullable().defaultTo(false);
    table.integer('rows').notNullable();
    table.double('spend').notNullable();
    table.timestamp('synced_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('litemaas_alerts', table => {
    table.comment(
      'Alerts sent, so each is sent once per subject, kind, period',
    );
    table.string('subject', 255).notNullable();
    table.string('kind', 64).notNullable();
    table.string('period', 64).notNullable();
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.text('details').notNullable().comment('JSON object');
    table.primary(['subject', 'kind', 'period'], 'litemaas_alerts_pk');
    table.index(['sent_at'], 'litemaas_alerts_sent_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('litemaas_alerts');
  await knex.schema.dropTable('litemaas_usage_sync_days');
  await knex.schema.dropTable('litemaas_usage_daily');
  await knex.schema.dropTable('litemaas_team_members');
  await knex.schema.dropTable('litemaas_teams');
};
