// @ts-check

/**
 * Only team usage has a `team_ref`: most rows of the rollup (every personal key's) hold
 * null there, and the team index kept an entry for each of them that no query reads
 * (reports ask for `team_ref = ?`). The index now holds the team rows only, so the usage
 * sync no longer maintains it for the others. PostgreSQL and SQLite both use a partial
 * index for an equality on its column.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw('drop index if exists litemaas_usage_daily_team_idx');
  await knex.raw(
    `create index litemaas_usage_daily_team_idx on litemaas_usage_daily (team_ref, date)
     where team_ref is not null`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw('drop index if exists litemaas_usage_daily_team_idx');
  await knex.raw(
    'create index litemaas_usage_daily_team_idx on litemaas_usage_daily (team_ref, date)',
  );
};
