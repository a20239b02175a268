// @ts-check

/**
 * Everyone's usage per day and model, summed over keys: what the admin's reports by day
 * and by model read when nothing narrows them (no team, key, user or entity). Those
 * reports otherwise sum every row of the rollup in the period (a million rows for a year
 * of 2,000 keys on 20 models), where this table holds at most one row per day and model.
 * The usage sync rewrites a day's rows here in the transaction that replaces the day in
 * `litemaas_usage_daily`; this migration fills it from the rows already there.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('litemaas_usage_model_daily', table => {
    table.comment(
      'Daily usage per model over all keys, derived from litemaas_usage_daily by the usage sync',
    );
    table.string('date', 10).notNullable().comment('UTC date YYYY-MM-DD');
    table.string('model', 255).notNullable();
    table.bigInteger('requests_ok').notNullable();
    table.bigInteger('requests_failed').notNullable();
    table.bigInteger('prompt_tokens').notNullable();
    table.bigInteger('completion_tokens').notNullable();
    table.double('spend').notNullable();
    table.primary(['date', 'model'], 'litemaas_usage_model_daily_pk');
  });
  await knex.raw(
    `insert into litemaas_usage_model_daily
       (date, model, requests_ok, requests_failed, prompt_tokens, completion_tokens, spend)
     select date, model, sum(requests_ok), sum(requests_failed), sum(prompt_tokens),
       sum(completion_tokens), sum(spend)
     from litemaas_usage_daily group by date, model`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('litemaas_usage_model_daily');
};
