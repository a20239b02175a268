// @ts-check

/**
 * One-time reveals of a new key's secret (scaffolder hand-off). The secret is kept
 * encrypted (AES-256-GCM, key from config) for a short time and the row is deleted when
 * it is revealed or expires. Only the SHA-256 of the reveal token is stored.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('litemaas_reveals', table => {
    table.comment('Encrypted, expiring one-time reveals of new key secrets');
    table
      .string('token_hash', 64)
      .primary()
      .notNullable()
      .comment('SHA-256 hex of the reveal token');
    table.string('key_id', 36).notNullable();
    table
      .string('initiator_ref', 255)
      .notNullable()
      .comment('User who asked for the key');
    table
      .string('audience_ref', 255)
      .nullable()
      .comment('Group whose members may also reveal it');
    table.text('ciphertext').notNullable();
    table.string('iv', 32).notNullable();
    table.string('auth_tag', 32).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['expires_at'], 'litemaas_reveals_expires_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('litemaas_reveals');
};
