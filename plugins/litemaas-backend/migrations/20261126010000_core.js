// @ts-check

/**
 * The LiteMaaS domain tables: models, users, subscriptions (with their status history),
 * API keys (with their models) and the audit log.
 *
 * Conventions:
 * - Timestamps have no database default: the stores always write them, so SQLite holds
 *   one representation only (milliseconds since the epoch) and comparisons stay correct.
 * - JSON values are stored as text; booleans are 0/1 on SQLite.
 * - Ids are strings (not the PostgreSQL uuid type) so that a malformed id in a URL is a
 *   plain "not found" on every engine.
 * - No table ever holds an API key secret: only LiteLLM's token hash and a display name.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('litemaas_models', table => {
    table.comment(
      'LLM models known to the LiteLLM proxy, refreshed by the sync job',
    );
    table
      .string('id', 255)
      .primary()
      .notNullable()
      .comment('LiteLLM model name');
    table.string('provider', 255).notNullable();
    table.text('description').nullable();
    table.integer('context_length').nullable();
    table.double('input_cost_per_token').nullable();
    table.double('output_cost_per_token').nullable();
    table
      .text('capabilities')
      .notNullable()
      .comment('JSON array of capability names');
    table.string('mode', 64).notNullable().comment('chat, embedding, ...');
    table.boolean('restricted').notNullable().defaultTo(false);
    table
      .string('status', 32)
      .notNullable()
      .comment('available or unavailable');
    table.boolean('deprecated').notNullable().defaultTo(false);
    table.string('replacement_model_id', 255).nullable();
    table.timestamp('deprecation_date', { useTz: true }).nullable();
    table
      .string('owner_group_ref', 255)
      .nullable()
      .comment('Catalog group that may approve subscription requests');
    table.timestamp('last_synced_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['status'], 'litemaas_models_status_idx');
    table.index(['provider'], 'litemaas_models_provider_idx');
  });

  await knex.schema.createTable('litemaas_users', table => {
    table.comment(
      'Per-user limit overrides; null means the configured default',
    );
    table
      .string('entity_ref', 255)
      .primary()
      .notNullable()
      .comment('Backstage user entity ref');
    table.string('litellm_user_id', 255).nullable();
    table.double('max_budget').nullable();
    table.string('budget_duration', 32).nullable();
    table.integer('tpm_limit').nullable();
    table.integer('rpm_limit').nullable();
    table.integer('max_keys').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('litemaas_subscriptions', table => {
    table.comment('Access of a user or group to a model');
    table.string('id', 36).primary().notNullable();
    table
      .string('subject_ref', 255)
      .notNullable()
      .comment('User or group entity ref');
    table.string('model_id', 255).notNullable();
    table
      .string('status', 32)
      .notNullable()
      .comment('active, pending, denied, cancelled or expired');
    table.text('justification').nullable();
    table.text('reason').nullable().comment('Reason of the last status change');
    table.string('decided_by', 255).nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['subject_ref', 'model_id'], {
      indexName: 'litemaas_subscriptions_subject_model_uq',
    });
    table.index(['status', 'created_at'], 'litemaas_subscriptions_status_idx');
    table.index(['model_id'], 'litemaas_subscriptions_model_idx');
    table.index(['expires_at'], 'litemaas_subscriptions_expires_idx');
  });

  await knex.schema.createTable('litemaas_subscription_history', table => {
    table.comment('Every status change of a subscription');
    table.bigIncrements('id');
    table
      .string('subscription_id', 36)
      .notNullable()
      .references('id')
      .inTable('litemaas_subscriptions')
      .onDelete('CASCADE');
    table.string('from_status', 32).nullable().comment('Null on creation');
    table.string('to_status', 32).notNullable();
    table.string('actor_ref', 255).notNullable();
    table.text('reason').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['subscription_id'], 'litemaas_subscription_history_sub_idx');
  });

  await knex.schema.createTable('litemaas_keys', table => {
    table.comment('LiteLLM virtual keys; the secret itself is never stored');
    table.string('id', 36).primary().notNullable();
    table
      .string('owner_ref', 255)
      .notNullable()
      .comment('User, group, component or system entity ref');
    table.string('created_by', 255).notNullable();
    table.string('name', 255).notNullable();
    table
      .string('litellm_key_hash', 255)
      .nullable()
      .unique({ indexName: 'litemaas_keys_hash_uq' })
      .comment('LiteLLM token hash; null while the key is pending');
    table
      .string('litellm_alias', 255)
      .notNullable()
      .unique({ indexName: 'litemaas_keys_alias_uq' });
    table
      .string('display_name', 64)
      .nullable()
      .comment('Masked form such as sk-...abcd');
    table.double('max_budget').nullable();
    table.string('budget_duration', 32).nullable();
    table.integer('tpm_limit').nullable();
    table.integer('rpm_limit').nullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.text('metadata').notNullable().comment('JSON object of strings');
    table
      .string('status', 32)
      .notNullable()
      .comment('pending, active, blocked, revoked, expired or failed');
    table.boolean('blocked_by_admin').notNullable().defaultTo(false);
    table.string('rotated_from_key_id', 36).nullable();
    table
      .timestamp('grace_expires_at', { useTz: true })
      .nullable()
      .comment('End of the grace period of a rotated-out key');
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['owner_ref', 'status'], 'litemaas_keys_owner_status_idx');
    table.index(['status', 'created_at'], 'litemaas_keys_status_idx');
    table.index(['grace_expires_at'], 'litemaas_keys_grace_idx');
  });

  await knex.schema.createTable('litemaas_key_models', table => {
    table.comment('Models a key may call; never empty for a usable key');
    table
      .string('key_id', 36)
      .notNullable()
      .references('id')
      .inTable('litemaas_keys')
      .onDelete('CASCADE');
    table.string('model_id', 255).notNullable();
    table.primary(['key_id', 'model_id'], 'litemaas_key_models_pk');
    table.index(['model_id'], 'litemaas_key_models_model_idx');
  });

  await knex.schema.createTable('litemaas_audit', table => {
    table.comment('Audit log of LiteMaaS actions; details never hold secrets');
    table.bigIncrements('id');
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table.string('actor_ref', 255).notNullable();
    table.string('action', 64).notNullable().comment('For example key.create');
    table.string('target_type', 64).nullable();
    table.string('target_id', 255).nullable();
    table
      .string('outcome', 16)
      .notNullable()
      .comment('success, failure or denied');
    table.text('reason').nullable();
    table.text('details').notNullable().comment('JSON object');
    table.index(['occurred_at'], 'litemaas_audit_occurred_idx');
    table.index(['actor_ref'], 'litemaas_audit_actor_idx');
    table.index(['action'], 'litemaas_audit_action_idx');
    table.index(['target_type', 'target_id'], 'litemaas_audit_target_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('litemaas_audit');
  await knex.schema.dropTable('litemaas_key_models');
  await knex.schema.dropTable('litemaas_keys');
  await knex.schema.dropTable('litemaas_subscription_history');
  await knex.schema.dropTable('litemaas_subscriptions');
  await knex.schema.dropTable('litemaas_users');
  await knex.schema.dropTable('litemaas_models');
};
