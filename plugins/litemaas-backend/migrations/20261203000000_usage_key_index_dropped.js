// @ts-check

/**
 * The rollup's key index goes: every row the usage sync writes had to be added to it
 * (`COPY` of 300,000 rows into the rollup with its indexes took 3.2-4.0 s with it and
 * 2.3-2.6 s without, measured alternately), for the one question "this key's usage". A
 * key's rows carry its owner (the sync writes the key's `owner_ref` with its id, and a
 * key never changes owner), so that question is now asked through the owner index, which
 * on PostgreSQL holds `key_id` too (see 20261201000000).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw('drop index if exists litemaas_usage_daily_key_idx');
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw(
    'create index litemaas_usage_daily_key_idx on litemaas_usage_daily (key_id, date)',
  );
};
