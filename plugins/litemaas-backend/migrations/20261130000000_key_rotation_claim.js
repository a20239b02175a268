// @ts-check

/**
 * When a key was rotated. Set by one conditional update, so of several rotations of the
 * same key exactly one can win; the others find it set and are refused.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('litemaas_keys', table => {
    table
      .timestamp('rotated_at', { useTz: true })
      .nullable()
      .comment('When a rotation claimed this key (it has a successor)');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('litemaas_keys', table => {
    table.dropColumn('rotated_at');
  });
};
