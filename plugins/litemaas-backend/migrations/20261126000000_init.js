// @ts-check

/**
 * Initial migration of the LiteMaaS backend. It holds no domain tables yet: it proves
 * that migrations run through coreServices.database on SQLite and PostgreSQL, and it
 * gives the plugin a small key/value table for its own bookkeeping (for example the
 * time of the last successful sync of a job).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('litemaas_meta', table => {
    table.comment('Key/value bookkeeping of the LiteMaaS backend');
    table.string('key', 255).primary().notNullable();
    table.text('value').notNullable();
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('litemaas_meta');
};
