// @ts-check

/**
 * The group whose LiteMaaS team a key belongs to: the owner of a group key, the owner
 * group (from the catalog, when the key was made) of a component's or system's key, none
 * for a user's key. Its team's budget, models and members apply to the key.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('litemaas_keys', table => {
    table
      .string('team_ref')
      .nullable()
      .comment('Group whose LiteMaaS team the key belongs to (normalised ref)');
    table.index(['team_ref'], 'litemaas_keys_team_ref_idx');
  });
  await knex('litemaas_keys')
    .where('owner_ref', 'like', 'group:%')
    .update({ team_ref: knex.ref('owner_ref') });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('litemaas_keys', table => {
    table.dropIndex(['team_ref'], 'litemaas_keys_team_ref_idx');
    table.dropColumn('team_ref');
  });
};
