// @ts-check

/**
 * Entity refs are stored in one form: lower-cased as the catalog compares them
 * (`user:default/Alice` is `user:default/alice`). Earlier versions kept some refs as the
 * caller's token spelled them, so a user or group whose catalog name has capitals could
 * not use subscriptions their own keys needed. This brings existing rows to the
 * normalised form. Rows that only differed by case are merged: the user row keeps its
 * LiteLLM user id, a subscription keeps the most permissive status and all of its
 * history, a team keeps its members.
 *
 * LiteLLM's own user ids are not touched (`litemaas_users.litellm_user_id`): keys keep
 * naming the LiteLLM user they were created for.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const lower = (/** @type {string} */ ref) => ref.toLocaleLowerCase('en-US');
  /** Rows whose column differs from its normalised form. */
  const mixed = (/** @type {string} */ table, /** @type {string} */ column) =>
    knex(table).whereRaw('?? <> lower(??)', [column, column]);

  // Plain columns: no key or unique index involves them.
  const plain = {
    litemaas_models: ['owner_group_ref'],
    litemaas_subscriptions: ['created_by', 'decided_by'],
    litemaas_subscription_history: ['actor_ref'],
    litemaas_keys: ['owner_ref', 'created_by'],
    litemaas_audit: ['actor_ref'],
    litemaas_reveals: ['initiator_ref', 'audience_ref'],
    litemaas_teams: ['created_by'],
    litemaas_usage_daily: ['owner_ref', 'user_ref', 'team_ref'],
  };
  for (const [table, columns] of Object.entries(plain)) {
    for (const column of columns) {
      await mixed(table, column).update({
        [column]: knex.raw('lower(??)', [column]),
      });
    }
  }

  // Users: one row per ref; the merged row keeps whatever the other one knew.
  for (const row of await mixed('litemaas_users', 'entity_ref')) {
    const ref = lower(row.entity_ref);
    const kept = await knex('litemaas_users')
      .where({ entity_ref: ref })
      .first();
    if (!kept) {
      await knex('litemaas_users')
        .where({ entity_ref: row.entity_ref })
        .update({ entity_ref: ref });
      continue;
    }
    /** @type {Record<string, unknown>} */
    const fill = {};
    for (const column of [
      'litellm_user_id',
      'max_budget',
      'budget_duration',
      'tpm_limit',
      'rpm_limit',
      'max_keys',
    ]) {
      if (kept[column] === null && row[column] !== null)
        fill[column] = row[column];
    }
    if (Object.keys(fill).length > 0) {
      await knex('litemaas_users').where({ entity_ref: ref }).update(fill);
    }
    await knex('litemaas_users').where({ entity_ref: row.entity_ref }).delete();
  }

  // Subscriptions: one per subject and model; the most permissive status wins and the
  // history of both stays.
  const rank = ['active', 'pending', 'denied', 'expired', 'cancelled'];
  for (const row of await mixed('litemaas_subscriptions', 'subject_ref')) {
    const ref = lower(row.subject_ref);
    const other = await knex('litemaas_subscriptions')
      .where({ subject_ref: ref, model_id: row.model_id })
      .first();
    if (!other) {
      await knex('litemaas_subscriptions')
        .where({ id: row.id })
        .update({ subject_ref: ref });
      continue;
    }
    const [kept, dropped] =
      rank.indexOf(row.status) < rank.indexOf(other.status)
        ? [row, other]
        : [other, row];
    await knex('litemaas_subscription_history')
      .where({ subscription_id: dropped.id })
      .update({ subscription_id: kept.id });
    await knex('litemaas_subscriptions').where({ id: dropped.id }).delete();
    if (kept.id === row.id) {
      await knex('litemaas_subscriptions')
        .where({ id: row.id })
        .update({ subject_ref: ref });
    }
  }

  // Teams (members reference them): the members are set aside while the team's ref
  // changes, or join the normalised team when there already is one.
  for (const row of await mixed('litemaas_teams', 'group_ref')) {
    const ref = lower(row.group_ref);
    const members = await knex('litemaas_team_members').where({
      group_ref: row.group_ref,
    });
    await knex('litemaas_team_members')
      .where({ group_ref: row.group_ref })
      .delete();
    if (await knex('litemaas_teams').where({ group_ref: ref }).first()) {
      await knex('litemaas_teams').where({ group_ref: row.group_ref }).delete();
    } else {
      await knex('litemaas_teams')
        .where({ group_ref: row.group_ref })
        .update({ group_ref: ref });
    }
    for (const member of members) {
      const exists = await knex('litemaas_team_members')
        .where({ group_ref: ref, user_ref: member.user_ref })
        .first();
      if (!exists) {
        await knex('litemaas_team_members').insert({
          ...member,
          group_ref: ref,
        });
      }
    }
  }
  for (const row of await mixed('litemaas_team_members', 'user_ref')) {
    const ref = lower(row.user_ref);
    const exists = await knex('litemaas_team_members')
      .where({ group_ref: row.group_ref, user_ref: ref })
      .first();
    const query = knex('litemaas_team_members').where({
      group_ref: row.group_ref,
      user_ref: row.user_ref,
    });
    await (exists ? query.delete() : query.update({ user_ref: ref }));
  }

  // Alerts sent: once per subject, kind and period.
  for (const row of await mixed('litemaas_alerts', 'subject')) {
    const ref = lower(row.subject);
    const exists = await knex('litemaas_alerts')
      .where({ subject: ref, kind: row.kind, period: row.period })
      .first();
    const query = knex('litemaas_alerts').where({
      subject: row.subject,
      kind: row.kind,
      period: row.period,
    });
    await (exists ? query.delete() : query.update({ subject: ref }));
  }
};

/**
 * The original spelling of a ref is not kept, so rolling back leaves the normalised refs
 * in place (every earlier version reads them).
 *
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};
