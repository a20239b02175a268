import { ADMIN_USER_ID, Emulator, qInt } from '../emulator';
import { detailError, proxyError, validationError } from '../errors';
import type { UserRow } from '../types';
import { iso, pyRepr, uuid } from '../util';
import {
  checkBudget,
  clone,
  keyRowWithToken,
  optInt,
  optStringList,
  teamTable,
  userTable,
  withDuration,
} from './common';
import { createKey, deleteKeysWhere, keyResponse } from './keys';
import { addMember } from './teams';
import { emptyUser, findUserByEmail } from './userRows';

const ROLES = [
  'proxy_admin',
  'proxy_admin_viewer',
  'internal_user',
  'internal_user_viewer',
  'team',
  'customer',
];

function applyUserFields(
  emu: Emulator,
  user: UserRow,
  body: any,
  isUpdate: boolean,
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  const set = <K extends keyof UserRow>(k: K, v: UserRow[K]) => {
    user[k] = v;
    changed[k] = v;
  };
  if (body.user_role !== undefined && body.user_role !== null) {
    if (!ROLES.includes(body.user_role)) {
      throw validationError(
        ['body', 'user_role'],
        `Input should be ${ROLES.map(r => `'${r}'`).join(', ')}`,
        'enum',
        body.user_role,
      );
    }
    set('user_role', body.user_role);
  }
  for (const f of ['user_alias', 'user_email', 'sso_user_id'] as const) {
    if (body[f] !== undefined && body[f] !== null) set(f, String(body[f]));
  }
  const mb = checkBudget('max_budget', body.max_budget);
  if (mb !== undefined) set('max_budget', mb);
  const models = optStringList('models', body.models);
  if (models !== undefined && (!isUpdate || models.length > 0))
    set('models', models);
  for (const f of [
    'tpm_limit',
    'rpm_limit',
    'max_parallel_requests',
  ] as const) {
    const v = optInt(f, body[f]);
    if (v !== undefined && v !== null) set(f, v);
  }
  if (
    body.metadata &&
    typeof body.metadata === 'object' &&
    (!isUpdate || Object.keys(body.metadata).length > 0)
  ) {
    set('metadata', { ...body.metadata });
  }
  if (
    body.model_max_budget &&
    typeof body.model_max_budget === 'object' &&
    Object.keys(body.model_max_budget).length
  ) {
    set('model_max_budget', { ...body.model_max_budget });
  }
  if (body.spend !== undefined && body.spend !== null)
    set('spend', Number(body.spend) || 0);
  if (body.budget_duration !== undefined && body.budget_duration !== null) {
    set('budget_duration', body.budget_duration);
    set(
      'budget_reset_at',
      withDuration(() => emu.state.budgetResetAt(body.budget_duration)),
    );
  }
  return changed;
}

export function registerUserRoutes(emu: Emulator): void {
  const st = emu.state;

  emu.route('POST', '/user/new', 'admin', ctx => {
    const body = ctx.body ?? {};
    const userId: string = body.user_id ? String(body.user_id) : uuid();
    const email: string | null = body.user_email
      ? String(body.user_email)
      : null;
    let user = st.users.get(userId);
    if (emu.behaviour.duplicateUser === '409') {
      if (user) {
        throw proxyError(
          409,
          pyRepr({ error: `User with id ${userId} already exists` }),
          'internal_server_error',
          'None',
        );
      }
      if (email && findUserByEmail(emu, email)) {
        throw proxyError(
          409,
          pyRepr({ error: `User with email ${email} already exists` }),
          'internal_server_error',
          'None',
        );
      }
    }
    if (
      body.password !== undefined &&
      (String(body.password).length < 8 || String(body.password).length > 128)
    ) {
      throw validationError(
        ['body', 'password'],
        'Password must be between 8 and 128 characters',
        'value_error',
        body.password,
      );
    }
    const isNew = !user;
    if (!user) user = emptyUser(emu, userId, email);
    applyUserFields(emu, user, body, false);
    if (isNew) st.users.set(userId, user);
    // Team memberships (best effort, failures swallowed like LiteLLM).
    if (Array.isArray(body.teams)) {
      for (const t of body.teams) {
        const teamId = typeof t === 'string' ? t : t?.team_id;
        const team = teamId ? st.teams.get(teamId) : undefined;
        if (!team) continue;
        try {
          addMember(
            emu,
            team,
            { role: t?.user_role ?? 'user', user_id: userId },
            t?.max_budget_in_team,
            true,
          );
        } catch {
          // swallowed
        }
      }
    }
    // NewUserResponse (litellm/proxy/_types.py) extends GenerateKeyResponse: the new key's
    // fields, then the user's (an empty key when auto_create_key is false).
    let keyFields: Record<string, unknown> = {
      key: '',
      token: null,
      token_id: null,
      key_name: null,
      key_alias: null,
      expires: null,
    };
    if (body.auto_create_key !== false) {
      const keyBody = {
        user_id: userId,
        key_alias: body.key_alias,
        duration: body.duration,
        models: [],
      };
      const created = createKey(emu, keyBody, ctx.caller);
      keyFields = keyResponse(emu, created.raw, created.row, keyBody);
    }
    return {
      ...keyFields,
      ...userTable(user),
      user_id: userId,
    };
  });

  emu.route('GET', '/user/info', 'key', ctx => {
    let userId = ctx.query.get('user_id');
    if (!ctx.caller.isAdmin) {
      if (!userId) userId = ctx.caller.userId;
      if (!userId || userId !== ctx.caller.userId) {
        throw proxyError(
          403,
          `User=${
            ctx.caller.userId ?? 'None'
          } is not allowed to access info for user=${userId}`,
          'auth_error',
          'None',
        );
      }
    }
    if (!userId) {
      return {
        user_id: null,
        user_info: null,
        keys: [...st.keys.values()].map(k => keyRowWithToken(emu, k)),
        teams: [...st.teams.values()].map(t => teamTable(t)),
      };
    }
    const user = st.users.get(userId);
    if (!user) {
      if (emu.behaviour.userInfoUnknown === 'empty200') {
        return {
          user_id: userId,
          user_info: { spend: 0 },
          keys: [],
          teams: [],
        };
      }
      throw proxyError(
        404,
        `User ${userId} not found`,
        'not_found_error',
        'user_id',
      );
    }
    const keys = [...st.keys.values()]
      .filter(k => k.user_id === userId)
      .map(k => keyRowWithToken(emu, k));
    const teams = user.teams
      .map(id => st.teams.get(id))
      .filter(t => !!t)
      .map(t => teamTable(t!))
      .sort((a, b) =>
        String(a.team_alias ?? '').localeCompare(String(b.team_alias ?? '')),
      );
    return { user_id: userId, user_info: userTable(user), keys, teams };
  });

  emu.route('POST', '/user/update', 'admin', ctx => {
    const body = ctx.body ?? {};
    if (!body.user_id && !body.user_email) {
      throw validationError(
        ['body'],
        'Value error, Either user_id or user_email must be provided',
        'value_error',
        body,
      );
    }
    let user: UserRow | undefined = body.user_id
      ? st.users.get(String(body.user_id))
      : findUserByEmail(emu, String(body.user_email));
    if (!user) {
      if (body.user_id) {
        throw proxyError(
          404,
          pyRepr({ error: `User not found, passed user_id=${body.user_id}` }),
          'auth_error',
          'None',
        );
      }
      // LiteLLM quirk: user_email only and no such user → creates one with a random id.
      user = emptyUser(emu, uuid(), String(body.user_email));
      st.users.set(user.user_id, user);
    }
    const changed = applyUserFields(emu, user, body, true);
    if (body.max_budget === null) {
      user.max_budget = null;
      changed.max_budget = null;
    }
    user.updated_at = iso(emu.now());
    return {
      user_id: user.user_id,
      data: { ...clone(user), ...clone(changed) },
    };
  });

  emu.route('POST', '/user/delete', 'admin', ctx => {
    const ids: unknown = ctx.body?.user_ids;
    if (!Array.isArray(ids)) {
      throw validationError(
        ['body', 'user_ids'],
        'Field required',
        'missing',
        ctx.body ?? {},
      );
    }
    for (const id of ids) {
      if (!st.users.has(String(id))) {
        throw detailError(404, {
          error: `User not found, passed user_id=${id}`,
        });
      }
    }
    for (const id of ids.map(String)) {
      const user = st.users.get(id)!;
      deleteKeysWhere(
        emu,
        k => k.user_id === id,
        ctx.caller.userId ?? ADMIN_USER_ID,
      );
      for (const teamId of user.teams) {
        const team = st.teams.get(teamId);
        if (team) {
          team.members_with_roles = team.members_with_roles.filter(
            m => m.user_id !== id,
          );
          team.admins = team.admins.filter(a => a !== id);
          team.members = team.members.filter(a => a !== id);
        }
        st.memberships.delete(`${teamId}\u0001${id}`);
      }
      st.users.delete(id);
    }
    return ids.length;
  });

  emu.route('GET', '/user/list', 'key', ctx => {
    if (!ctx.caller.isAdmin) {
      throw detailError(403, {
        error: 'Only proxy admins and organization admins can list users.',
      });
    }
    const q = ctx.query;
    const page = qInt(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const pageSize = qInt(q, 'page_size', 25, 1, 100);
    const role = q.get('role');
    const userIds = q
      .get('user_ids')
      ?.split(',')
      .map(s => s.trim())
      .filter(Boolean);
    const email = q.get('user_email')?.toLowerCase();
    const team = q.get('team');
    const sortBy = q.get('sort_by');
    const allowedSort = [
      'user_id',
      'user_email',
      'created_at',
      'spend',
      'user_alias',
      'user_role',
    ];
    if (sortBy && !allowedSort.includes(sortBy)) {
      throw detailError(400, {
        error: `Invalid sort_by. Must be one of ${allowedSort.join(', ')}`,
      });
    }
    let users = [...st.users.values()].filter(u => {
      if (role && u.user_role !== role) return false;
      if (
        userIds &&
        userIds.length === 1 &&
        !u.user_id.toLowerCase().includes(userIds[0].toLowerCase())
      )
        return false;
      if (userIds && userIds.length > 1 && !userIds.includes(u.user_id))
        return false;
      if (email && !(u.user_email ?? '').toLowerCase().includes(email))
        return false;
      if (team && !u.teams.includes(team)) return false;
      return true;
    });
    const field = (sortBy ?? 'created_at') as keyof UserRow;
    let dir = -1;
    if (sortBy) {
      dir = (q.get('sort_order') ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
    }
    users = users.sort((a, b) => {
      const av = a[field] as any;
      const bv = b[field] as any;
      if (av === bv) return 0;
      if (av === null) return -dir;
      if (bv === null) return dir;
      return (av < bv ? -1 : 1) * dir;
    });
    const total = users.length;
    const keyCounts = new Map<string, number>();
    for (const k of st.keys.values())
      if (k.user_id)
        keyCounts.set(k.user_id, (keyCounts.get(k.user_id) ?? 0) + 1);
    return {
      users: users
        .slice((page - 1) * pageSize, page * pageSize)
        .map(u => ({ ...clone(u), key_count: keyCounts.get(u.user_id) ?? 0 })),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
    };
  });
}
