// @ts-check

/**
 * `Idempotency-Key` of `POST /keys`, per caller, kept for a day: a retried request finds
 * its key here instead of minting a second one. Only a hash of the request is kept; the
 * reveal link of a `deliver: reveal` answer is kept encrypted with the reveal key.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('litemaas_idempotency_keys', table => {
    table.comment('Idempotency-Key of POST /keys, per caller, for a day');
    table.string('caller_ref', 255).notNullable();
    table.string('idempotency_key', 255).notNullable();
    table
      .string('request_hash', 64)
      .notNullable()
      .comment('SHA-256 hex of the request body');
    table
      .string('key_id', 36)
      .nullable()
      .comment('The key minted; null while the request is in progress');
    table
      .text('reveal_ciphertext')
      .nullable()
      .comment('The reveal link of a reveal delivery, encrypted');
    table.string('reveal_iv', 32).nullable();
    table.string('reveal_auth_tag', 32).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['caller_ref', 'idempotency_key']);
    table.index(['created_at'], 'litemaas_idempotency_keys_created_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('litemaas_idempotency_keys');
};
