// @ts-check

/**
 * Two summaries of `litemaas_usage_daily` (one row per day, key and model) that the
 * usage reports read when they can:
 *
 * - `litemaas_usage_model_daily`, one row per day and model over all keys: everyone's
 *   usage by day and by model (the admin's, narrowed by a model at most), which otherwise
 *   sums every key's rows of the period (a million rows for a year of 2,000 keys on 20
 *   models);
 * - `litemaas_usage_owner_daily`, one row per day and owner (user, group or other
 *   entity) over their keys and models: a user's or a team's usage by day, which
 *   otherwise sums each of their keys' rows on each model.
 *
 * The usage sync rewrites a day's rows in both in the transaction that replaces the
 * day's rows; this migration fills them from the rows already there.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  /** @param {import('knex').Knex.CreateTableBuilder} table */
  const counters = table => {
    table.bigInteger('requests_ok').notNullable();
    table.bigInteger('requests_failed').notNullable();
    table.bigInteger('prompt_tokens').notNullable();
    table.bigInteger('completion_tokens').notNullable();
    table.double('spend').notNullable();
  };
  const sums = `sum(requests_ok), sum(requests_failed), sum(prompt_tokens),
    sum(completion_tokens), sum(spend)`;
  const columns =
    'requests_ok, requests_failed, prompt_tokens, completion_tokens, spend';

  await knex.schema.createTable('litemaas_usage_model_daily', table => {
    table.comment(
      'Daily usage per model over all keys, derived from litemaas_usage_daily by the usage sync',
    );
    table.string('date', 10).notNullable().comment('UTC date YYYY-MM-DD');
    table.string('model', 255).notNullable();
    counters(table);
    table.primary(['date', 'model'], 'litemaas_usage_model_daily_pk');
  });
  await knex.raw(
    `insert into litemaas_usage_model_daily (date, model, ${columns})
     select date, model, ${sums} from litemaas_usage_daily group by date, model`,
  );

  await knex.schema.createTable('litemaas_usage_owner_daily', table => {
    table.comment(
      'Daily usage per key owner over their keys and models, derived from litemaas_usage_daily by the usage sync',
    );
    table
      .string('owner_ref', 255)
      .notNullable()
      .comment('Owner of the keys: user, group, component or system');
    table.string('date', 10).notNullable().comment('UTC date YYYY-MM-DD');
    counters(table);
    table.primary(['owner_ref', 'date'], 'litemaas_usage_owner_daily_pk');
  });
  await knex.raw(
    `insert into litemaas_usage_owner_daily (owner_ref, date, ${columns})
     select owner_ref, date, ${sums} from litemaas_usage_daily
     where owner_ref is not null group by owner_ref, date`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('litemaas_usage_owner_daily');
  await knex.schema.dropTable('litemaas_usage_model_daily');
};
