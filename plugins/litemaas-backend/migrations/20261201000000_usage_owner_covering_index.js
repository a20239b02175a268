// @ts-check

/**
 * A user's usage report reads their rows by owner and date and sums the counters per day
 * or model. On PostgreSQL the owner index now carries those columns (INCLUDE), so the
 * report is an index-only scan instead of one heap page per row, scattered over the year.
 * SQLite has no INCLUDE: its plain owner index stays as it is.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (!String(knex.client.config.client).includes('pg')) return;
  await knex.raw('drop index if exists litemaas_usage_daily_owner_idx');
  await knex.raw(
    `create index litemaas_usage_daily_owner_idx on litemaas_usage_daily (owner_ref, date)
     include (model, key_id, team_ref, requests_ok, requests_failed, prompt_tokens, completion_tokens, spend)`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (!String(knex.client.config.client).includes('pg')) return;
  await knex.raw('drop index if exists litemaas_usage_daily_owner_idx');
  await knex.raw(
    'create index litemaas_usage_daily_owner_idx on litemaas_usage_daily (owner_ref, date)',
  );
};
