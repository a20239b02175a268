import {
  ADMIN_USER_ID,
  Ctx,
  Emulator,
  qBool,
  qInt,
  requireBodyField,
} from '../emulator';
import { detailError, proxyError } from '../errors';
import type { Caller, KeyRow } from '../types';
import {
  generateKey,
  iso,
  keyName,
  maskKey,
  pyRepr,
  sha256Hex,
  toTokenHash,
  uuid,
} from '../util';
import {
  cmp,
  budgetTable,
  checkBudget,
  clone,
  keyInfoRow,
  keyRowWithToken,
  optInt,
  optStringList,
  withDuration,
} from './common';

const NOT_PREMIUM =
  'You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env.';

function aliasTaken(
  emu: Emulator,
  alias: string,
  exceptToken?: string,
): boolean {
  const owner = emu.state.keyAliases.get(alias);
  return owner !== undefined && owner !== exceptToken;
}

function assertAliasFree(
  emu: Emulator,
  alias: unknown,
  exceptToken?: string,
): void {
  if (typeof alias === 'string' && aliasTaken(emu, alias, exceptToken)) {
    throw proxyError(
      400,
      `Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`,
      'bad_request_error',
      'key_alias',
    );
  }
}

function assertKeyPrefix(key: unknown): void {
  if (typeof key === 'string' && !key.startsWith('sk-')) {
    throw proxyError(
      400,
      `Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: ${maskKey(
        key,
      )}`,
      'bad_request_error',
      'key',
    );
  }
}

function assertPremiumFields(emu: Emulator, body: any): void {
  if (emu.behaviour.premium) return;
  if (body?.tags !== undefined && body?.tags !== null) {
    throw proxyError(
      500,
      `Only premium users can add tags to keys. ${NOT_PREMIUM}`,
      'internal_server_error',
      'None',
    );
  }
  if (
    body?.model_max_budget !== undefined &&
    body?.model_max_budget !== null &&
    Object.keys(body.model_max_budget).length > 0
  ) {
    throw proxyError(
      500,
      `model_max_budget is an Enterprise feature. ${NOT_PREMIUM}`,
      'internal_server_error',
      'None',
    );
  }
}

/** Applies the updatable GenerateKeyRequest fields of `body` to `row`; returns what changed. */
function applyKeyFields(
  emu: Emulator,
  row: KeyRow,
  body: any,
  creating: boolean,
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  const set = <K extends keyof KeyRow>(k: K, v: KeyRow[K]) => {
    row[k] = v;
    changed[k] = v;
  };
  if (body.key_alias !== undefined)
    set('key_alias', body.key_alias === null ? null : String(body.key_alias));
  const maxBudget = checkBudget('max_budget', body.max_budget);
  if (maxBudget !== undefined) set('max_budget', maxBudget);
  const models = optStringList('models', body.models);
  if (models !== undefined) set('models', models);
  if (body.user_id !== undefined)
    set('user_id', body.user_id === null ? null : String(body.user_id));
  if (body.team_id !== undefined)
    set('team_id', body.team_id === null ? null : String(body.team_id));
  for (const f of [
    'tpm_limit',
    'rpm_limit',
    'max_parallel_requests',
  ] as const) {
    const v = optInt(f, body[f]);
    if (v !== undefined) set(f, v);
  }
  if (body.metadata && typeof body.metadata === 'object')
    set('metadata', { ...body.metadata });
  if (body.tags !== undefined && body.tags !== null)
    set('metadata', { ...row.metadata, tags: body.tags });
  for (const f of ['model_rpm_limit', 'model_tpm_limit'] as const) {
    if (body[f] && typeof body[f] === 'object')
      set('metadata', { ...row.metadata, [f]: body[f] });
  }
  for (const f of [
    'aliases',
    'config',
    'permissions',
    'model_max_budget',
  ] as const) {
    if (body[f] && typeof body[f] === 'object') set(f, { ...body[f] });
  }
  for (const f of ['allowed_cache_controls', 'allowed_routes'] as const) {
    if (Array.isArray(body[f])) set(f, [...body[f]]);
  }
  if (body.key_type !== undefined) {
    set('key_type', body.key_type);
    if (!Array.isArray(body.allowed_routes)) {
      const routes: Record<string, string[]> = {
        llm_api: ['llm_api_routes'],
        management: ['management_routes'],
        read_only: ['info_routes'],
      };
      if (routes[body.key_type]) set('allowed_routes', routes[body.key_type]);
    }
  }
  if (body.blocked !== undefined)
    set('blocked', body.blocked === null ? null : Boolean(body.blocked));
  if (body.spend !== undefined && body.spend !== null)
    set('spend', Number(body.spend) || 0);
  if (body.organization_id !== undefined)
    set('organization_id', body.organization_id);
  if (body.budget_id !== undefined) set('budget_id', body.budget_id);
  if (body.auto_rotate !== undefined)
    set('auto_rotate', Boolean(body.auto_rotate));
  if (body.rotation_interval !== undefined)
    set('rotation_interval', body.rotation_interval);
  if (body.duration !== undefined || creating) {
    const dur = body.duration;
    if (dur !== undefined)
      set(
        'expires',
        withDuration(() => emu.expiresFromDuration(dur)),
      );
  }
  if (body.budget_duration !== undefined) {
    set('budget_duration', body.budget_duration);
    set(
      'budget_reset_at',
      withDuration(() => emu.state.budgetResetAt(body.budget_duration)),
    );
  }
  return changed;
}

function setAlias(emu: Emulator, row: KeyRow, previous: string | null): void {
  if (previous && emu.state.keyAliases.get(previous) === row.token)
    emu.state.keyAliases.delete(previous);
  if (row.key_alias) emu.state.keyAliases.set(row.key_alias, row.token);
}

function emptyKeyRow(
  emu: Emulator,
  token: string,
  raw: string,
  createdBy: string,
): KeyRow {
  const now = iso(emu.now());
  return {
    token,
    key_name: keyName(raw),
    key_alias: null,
    spend: 0,
    max_budget: null,
    expires: null,
    models: [],
    aliases: {},
    config: {},
    user_id: null,
    team_id: null,
    max_parallel_requests: null,
    metadata: {},
    tpm_limit: null,
    rpm_limit: null,
    budget_duration: null,
    budget_reset_at: null,
    allowed_cache_controls: [],
    allowed_routes: [],
    permissions: {},
    model_spend: {},
    model_max_budget: {},
    soft_budget_cooldown: false,
    blocked: null,
    organization_id: null,
    budget_id: null,
    key_type: null,
    created_at: now,
    created_by: createdBy,
    updated_at: now,
    updated_by: createdBy,
    last_active: null,
    rotation_count: 0,
    auto_rotate: false,
    rotation_interval: null,
    last_rotation_at: null,
    key_rotation_at: null,
    object_permission_id: null,
    agent_id: null,
    project_id: null,
    access_group_ids: null,
    router_settings: null,
  };
}

/**
 * `GenerateKeyResponse` (litellm/proxy/_types.py): the row plus every field of the
 * request model it extends (`KeyRequestBase`), echoed from the request when given.
 */
export function keyResponse(
  emu: Emulator,
  raw: string,
  row: KeyRow,
  body: Record<string, any> = {},
): Record<string, unknown> {
  const echo = (name: string) =>
    body[name] === undefined ? null : clone(body[name]);
  return {
    ...clone(row),
    key: raw,
    key_name: row.key_name,
    token: row.token,
    token_id: row.token,
    duration: echo('duration'),
    litellm_budget_table: budgetTable(emu, row.budget_id),
    soft_budget:
      row.soft_budget ?? budgetTable(emu, row.budget_id)?.soft_budget ?? null,
    tags: (row.metadata as any)?.tags ?? null,
    enforced_params: echo('enforced_params'),
    object_permission: null,
    model_rpm_limit: echo('model_rpm_limit'),
    model_tpm_limit: echo('model_tpm_limit'),
    guardrails: echo('guardrails'),
    policies: echo('policies'),
    prompts: echo('prompts'),
    allowed_passthrough_routes: echo('allowed_passthrough_routes'),
    allowed_vector_store_indexes: echo('allowed_vector_store_indexes'),
    rpm_limit_type: echo('rpm_limit_type'),
    tpm_limit_type: echo('tpm_limit_type'),
  };
}

/**
 * A full `/key/list` object: LiteLLM builds `UserAPIKeyAuth(**row)` from the bare key row,
 * so the view's team, user, end-user, organization and project fields keep their defaults
 * (the row's `organization_id` becomes `org_id`).
 */
export function keyListObject(
  emu: Emulator,
  row: KeyRow,
): Record<string, unknown> {
  const { organization_id: orgId, ...rest } = keyRowWithToken(emu, row);
  return {
    ...rest,
    org_id: orgId,
    object_permission: null,
    team_spend: null,
    team_tpm_limit: null,
    team_rpm_limit: null,
    team_max_budget: null,
    team_soft_budget: null,
    team_models: [],
    team_blocked: false,
    soft_budget: row.soft_budget ?? null,
    team_model_aliases: null,
    team_member: null,
    team_metadata: null,
    team_object_permission_id: null,
    team_member_spend: null,
    team_member_tpm_limit: null,
    team_member_rpm_limit: null,
    end_user_id: null,
    end_user_tpm_limit: null,
    end_user_rpm_limit: null,
    end_user_max_budget: null,
    end_user_model_max_budget: null,
    organization_alias: null,
    organization_max_budget: null,
    organization_tpm_limit: null,
    organization_rpm_limit: null,
    organization_metadata: null,
    project_alias: null,
    project_metadata: null,
    last_refreshed_at: null,
    api_key: null,
    user_role: null,
    allowed_model_region: null,
    parent_otel_span: null,
    rpm_limit_per_model: null,
    tpm_limit_per_model: null,
    user_tpm_limit: null,
    user_rpm_limit: null,
    user_email: null,
    user_spend: null,
    user_max_budget: null,
    request_route: null,
    user: null,
    created_by_user: null,
    end_user_object_permission: null,
    jwt_claims: null,
  };
}

/** Creates a key (used by /key/generate and /user/new). */
export function createKey(
  emu: Emulator,
  body: any,
  caller: Caller,
): { raw: string; row: KeyRow } {
  assertPremiumFields(emu, body);
  assertKeyPrefix(body.key);
  checkBudget('max_budget', body.max_budget);
  assertAliasFree(emu, body.key_alias);
  const raw: string = typeof body.key === 'string' ? body.key : generateKey();
  const token = sha256Hex(raw);
  if (emu.state.keys.has(token)) {
    throw proxyError(
      400,
      'Unique constraint failed on the fields: (`token`)',
      'bad_request_error',
      'key',
    );
  }
  const row = emptyKeyRow(emu, token, raw, caller.userId ?? ADMIN_USER_ID);
  applyKeyFields(emu, row, body, true);
  const soft = checkBudget('soft_budget', body.soft_budget);
  if (soft !== undefined && soft !== null) {
    const budgetId = uuid();
    const now = iso(emu.now());
    emu.state.budgets.set(budgetId, {
      budget_id: budgetId,
      max_budget: null,
      soft_budget: soft,
      max_parallel_requests: null,
      tpm_limit: null,
      rpm_limit: null,
      model_max_budget: null,
      budget_duration: null,
      budget_reset_at: null,
      created_at: now,
      created_by: row.created_by,
      updated_at: now,
      updated_by: row.created_by,
    });
    row.budget_id = budgetId;
    row.soft_budget = soft;
  }
  emu.state.keys.set(token, row);
  setAlias(emu, row, null);
  return { raw, row };
}

function deleteKeyRow(emu: Emulator, row: KeyRow, by: string): void {
  emu.state.keys.delete(row.token);
  if (row.key_alias && emu.state.keyAliases.get(row.key_alias) === row.token) {
    emu.state.keyAliases.delete(row.key_alias);
  }
  emu.state.deletedKeys.set(row.token, {
    ...row,
    deleted_at: iso(emu.now()),
    deleted_by: by,
  });
}

/** Deletes all keys matching a predicate (user/team cascades). */
export function deleteKeysWhere(
  emu: Emulator,
  pred: (k: KeyRow) => boolean,
  by: string,
): string[] {
  const deleted: string[] = [];
  for (const row of [...emu.state.keys.values()]) {
    if (pred(row)) {
      deleteKeyRow(emu, row, by);
      deleted.push(row.token);
    }
  }
  return deleted;
}

function keyParam(ctx: Ctx, name = 'key'): string {
  const v = ctx.body?.[name];
  if (typeof v !== 'string' || v === '') {
    requireBodyField(ctx.body, name);
    throw proxyError(400, `Invalid ${name}`, 'bad_request_error', name);
  }
  return v;
}

const SORT_FIELDS = [
  'spend',
  'max_budget',
  'created_at',
  'updated_at',
  'token',
  'key_alias',
];

export function registerKeyRoutes(emu: Emulator): void {
  const st = emu.state;

  emu.route('POST', '/key/generate', 'admin', ctx => {
    const { raw, row } = createKey(emu, ctx.body ?? {}, ctx.caller);
    return keyResponse(emu, raw, row, ctx.body ?? {});
  });

  emu.route('POST', '/key/update', 'admin', ctx => {
    const passed = keyParam(ctx);
    const row = emu.findKey(passed);
    if (!row) {
      throw proxyError(
        404,
        pyRepr({ error: 'Team not found, passed team_id=None' }),
        'auth_error',
        'None',
      );
    }
    const body = ctx.body;
    assertPremiumFields(emu, body);
    if (
      body.temp_budget_increase !== undefined ||
      body.temp_budget_expiry !== undefined
    ) {
      if (
        body.temp_budget_increase === null ||
        body.temp_budget_increase === undefined ||
        body.temp_budget_expiry === null ||
        body.temp_budget_expiry === undefined
      ) {
        throw proxyError(
          400,
          'temp_budget_increase and temp_budget_expiry must be set together',
          'auth_error',
          'None',
        );
      }
    }
    assertAliasFree(emu, body.key_alias, row.token);
    if (
      typeof body.team_id === 'string' &&
      body.team_id !== row.team_id &&
      !st.teams.has(body.team_id)
    ) {
      throw proxyError(
        404,
        pyRepr({ error: `Team not found, passed team_id=${body.team_id}` }),
        'auth_error',
        'None',
      );
    }
    const previousAlias = row.key_alias;
    const { key: _k, ...fields } = body;
    const changed = applyKeyFields(emu, row, fields, false);
    row.updated_at = iso(emu.now());
    row.updated_by = ctx.caller.userId ?? ADMIN_USER_ID;
    setAlias(emu, row, previousAlias);
    return { key: passed, ...clone(changed) };
  });

  emu.route('POST', '/key/delete', 'admin', ctx => {
    const body = ctx.body ?? {};
    const keys: unknown = body.keys;
    const aliases: unknown = body.key_aliases;
    const hasKeys = Array.isArray(keys) && keys.length > 0;
    const hasAliases = Array.isArray(aliases) && aliases.length > 0;
    if (!hasKeys && !hasAliases) {
      throw proxyError(
        500,
        "At least one of 'keys' or 'key_aliases' must be provided.",
        'internal_server_error',
        'None',
      );
    }
    const passed = (hasKeys ? (keys as unknown[]) : (aliases as unknown[])).map(
      String,
    );
    const rows = passed
      .map(v =>
        hasKeys ? emu.findKey(v) : st.keys.get(st.keyAliases.get(v) ?? ''),
      )
      .filter((r): r is KeyRow => r !== undefined);
    const unique = [...new Map(rows.map(r => [r.token, r])).values()];
    if (unique.length === 0) {
      throw proxyError(
        404,
        pyRepr({ error: 'No keys found' }),
        'internal_server_error',
        'None',
      );
    }
    for (const row of unique)
      deleteKeyRow(emu, row, ctx.caller.userId ?? ADMIN_USER_ID);
    if (unique.length !== passed.length) {
      throw proxyError(
        400,
        `Not all keys passed in were deleted. This probably means you don't have access to delete all the keys passed in. Keys passed in=${passed.length}, Deleted keys =${unique.length}`,
        'internal_server_error',
        'None',
      );
    }
    return hasKeys ? { deleted_keys: keys } : { deleted_keys: aliases };
  });

  emu.route('GET', '/key/info', 'key', ctx => {
    const passed = ctx.query.get('key') ?? ctx.caller.rawKey;
    const row = emu.findKey(passed);
    if (!row)
      throw proxyError(
        404,
        'Key not found in database',
        'not_found_error',
        'key',
      );
    if (!ctx.caller.isAdmin && row.token !== ctx.caller.token) {
      const sameUser =
        row.user_id !== null && row.user_id === ctx.caller.userId;
      if (!sameUser) {
        throw proxyError(
          403,
          "You are not allowed to access this key's info. Your role=internal_user",
          'auth_error',
          'None',
        );
      }
    }
    return { key: passed, info: keyInfoRow(emu, row) };
  });

  emu.route('POST', '/v2/key/info', 'admin', ctx => {
    const keys: unknown[] = Array.isArray(ctx.body?.keys) ? ctx.body.keys : [];
    const rows = keys.map(k => emu.findKey(k)).filter((r): r is KeyRow => !!r);
    return { key: keys, info: rows.map(r => keyRowWithToken(emu, r)) };
  });

  emu.route('GET', '/key/list', 'key', ctx => {
    const q = ctx.query;
    const page = qInt(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const size = qInt(q, 'size', 10, 1, 100);
    const sortBy = q.get('sort_by');
    if (sortBy && !SORT_FIELDS.includes(sortBy)) {
      throw proxyError(
        400,
        `Invalid sort_by: ${sortBy}. Must be one of ${pyRepr(SORT_FIELDS)}`,
        'bad_request_error',
        'sort_by',
      );
    }
    const order =
      (q.get('sort_order') ?? 'desc').toLowerCase() === 'asc' ? 1 : -1;
    let userId = q.get('user_id');
    if (!ctx.caller.isAdmin) userId = ctx.caller.userId ?? '__none__';
    const teamId = q.get('team_id');
    const orgId = q.get('organization_id');
    const keyHash = q.get('key_hash');
    const keyAlias = q.get('key_alias');
    const includeTeamKeys = qBool(q, 'include_team_keys', false);
    const includeCreatedBy = qBool(q, 'include_created_by_keys', false);
    const deleted = q.get('status') === 'deleted';
    const source: KeyRow[] = deleted
      ? [...st.deletedKeys.values()]
      : [...st.keys.values()];
    const userTeams = new Set(
      userId && includeTeamKeys ? st.users.get(userId)?.teams ?? [] : [],
    );
    const rows = source.filter(k => {
      if (k.team_id === 'litellm-dashboard') return false;
      if (userId) {
        const own = k.user_id === userId;
        const team =
          includeTeamKeys && k.team_id !== null && userTeams.has(k.team_id);
        const created = includeCreatedBy && k.created_by === userId;
        if (!own && !team && !created) return false;
      }
      if (teamId && k.team_id !== teamId) return false;
      if (orgId && k.organization_id !== orgId) return false;
      if (keyHash && k.token !== toTokenHash(keyHash)) return false;
      if (keyAlias && k.key_alias !== keyAlias) return false;
      return true;
    });
    const field = (sortBy ?? 'created_at') as keyof KeyRow;
    rows.sort((a, b) => {
      const av = a[field] as any;
      const bv = b[field] as any;
      let c = 0;
      if (av === bv) c = 0;
      else if (av === null || av === undefined) c = -1;
      else if (bv === null || bv === undefined) c = 1;
      else c = av < bv ? -1 : 1;
      if (c === 0 && !sortBy) c = cmp(a.token, b.token);
      return c * order;
    });
    const total = rows.length;
    const slice = rows.slice((page - 1) * size, page * size);
    const full = qBool(q, 'return_full_object', false);
    const expandUser = q.get('expand') === 'user';
    return {
      keys:
        full || expandUser
          ? slice.map(r => ({
              ...keyListObject(emu, r),
              ...(expandUser
                ? {
                    user: r.user_id
                      ? clone(st.users.get(r.user_id) ?? null)
                      : null,
                  }
                : {}),
            }))
          : slice.map(r => r.token),
      total_count: total,
      current_page: page,
      total_pages: Math.ceil(total / size),
    };
  });

  emu.route('GET', '/key/aliases', 'admin', ctx => {
    const q = ctx.query;
    const page = qInt(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const size = qInt(q, 'size', 50, 1, 1000);
    const search = (q.get('search') ?? '').toLowerCase();
    const aliases = [...st.keyAliases.keys()]
      .filter(a => a.toLowerCase().includes(search))
      .sort();
    return {
      aliases: aliases.slice((page - 1) * size, page * size),
      total_count: aliases.length,
      current_page: page,
      total_pages: Math.ceil(aliases.length / size),
      size,
    };
  });

  const setBlocked = (blocked: boolean) => (ctx: Ctx) => {
    const passed = keyParam(ctx);
    if (!passed.startsWith('sk-') && !/^[0-9a-f]{64}$/.test(passed)) {
      throw proxyError(400, 'Invalid key format.', 'bad_request_error', 'key');
    }
    const row = emu.findKey(passed);
    if (!row)
      throw proxyError(
        404,
        `Key ${passed} not found`,
        'bad_request_error',
        'key',
      );
    row.blocked = blocked;
    row.updated_at = iso(emu.now());
    return keyRowWithToken(emu, row);
  };
  emu.route('POST', '/key/block', 'admin', setBlocked(true));
  emu.route('POST', '/key/unblock', 'admin', setBlocked(false));

  const regenerate = (ctx: Ctx) => {
    if (emu.behaviour.regenerate === 'enterprise500') {
      throw proxyError(
        500,
        `Regenerating Virtual Keys is an Enterprise feature, ${NOT_PREMIUM}`,
        'internal_server_error',
        'None',
      );
    }
    const body = ctx.body ?? {};
    const passed: string = ctx.params.key ?? body.key;
    if (typeof passed !== 'string' || passed === '')
      requireBodyField(body, 'key');
    const row = emu.findKey(passed);
    if (!row)
      throw proxyError(
        404,
        pyRepr({ error: `Key ${passed} not found.` }),
        'internal_server_error',
        'None',
      );
    assertKeyPrefix(body.new_key);
    assertAliasFree(emu, body.key_alias, row.token);
    const newRaw: string =
      typeof body.new_key === 'string' ? body.new_key : generateKey();
    const newToken = sha256Hex(newRaw);
    if (st.keys.has(newToken)) {
      throw proxyError(
        400,
        'Unique constraint failed on the fields: (`token`)',
        'bad_request_error',
        'new_key',
      );
    }
    const oldToken = row.token;
    const previousAlias = row.key_alias;
    const {
      key: _k,
      new_key: _n,
      grace_period: grace,
      new_master_key: _m,
      ...fields
    } = body;
    assertPremiumFields(emu, fields);
    applyKeyFields(emu, row, fields, false);
    st.keys.delete(oldToken);
    if (previousAlias && st.keyAliases.get(previousAlias) === oldToken)
      st.keyAliases.delete(previousAlias);
    row.token = newToken;
    row.key_name = keyName(newRaw);
    row.rotation_count += 1;
    row.last_rotation_at = iso(emu.now());
    row.updated_at = row.last_rotation_at;
    row.updated_by = ctx.caller.userId ?? ADMIN_USER_ID;
    st.keys.set(newToken, row);
    setAlias(emu, row, null);
    if (typeof grace === 'string' && grace !== '') {
      const until = Date.parse(
        withDuration(() => emu.expiresFromDuration(grace))!,
      );
      st.graceKeys.set(oldToken, { token: newToken, until });
    }
    return keyResponse(emu, newRaw, row);
  };
  emu.route('POST', '/key/regenerate', 'admin', regenerate);
  emu.route('POST', '/key/{key}/regenerate', 'admin', regenerate);

  emu.route('POST', '/key/{key}/reset_spend', 'admin', ctx => {
    const row = emu.findKey(ctx.params.key);
    if (!row)
      throw proxyError(
        404,
        pyRepr({ error: `Key ${ctx.params.key} not found.` }),
        'internal_server_error',
        'None',
      );
    const resetTo = Number(ctx.body?.reset_to);
    if (!Number.isFinite(resetTo) || resetTo < 0) {
      throw detailError(400, {
        error: 'reset_to must be a non-negative number',
      });
    }
    if (resetTo > row.spend) {
      throw detailError(400, {
        error: `reset_to (${resetTo}) must be <= current spend (${row.spend})`,
      });
    }
    const previous = row.spend;
    row.spend = resetTo;
    return {
      key_hash: row.token,
      spend: resetTo,
      previous_spend: previous,
      max_budget: row.max_budget,
      budget_reset_at: row.budget_reset_at,
    };
  });
}
