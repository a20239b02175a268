import { ADMIN_USER_ID, Ctx, Emulator, qInt } from '../emulator';
import { detailError, proxyError, validationError } from '../errors';
import type {
  BudgetRow,
  MembershipRow,
  TeamMember,
  TeamRow,
  UserRow,
} from '../types';
import { iso, pyRepr, uuid } from '../util';
import {
  cmp,
  checkBudget,
  clone,
  keyRowWithToken,
  optInt,
  optStringList,
  teamTable,
  withDuration,
} from './common';
import { deleteKeysWhere } from './keys';
import { emptyUser, findUserByEmail } from './userRows';

function newBudgetRow(
  emu: Emulator,
  fields: Partial<BudgetRow>,
  by: string,
): BudgetRow {
  const now = iso(emu.now());
  const row: BudgetRow = {
    budget_id: uuid(),
    max_budget: null,
    soft_budget: null,
    max_parallel_requests: null,
    tpm_limit: null,
    rpm_limit: null,
    model_max_budget: null,
    budget_duration: null,
    budget_reset_at: null,
    created_at: now,
    created_by: by,
    updated_at: now,
    updated_by: by,
    ...fields,
  };
  if (row.budget_duration && !row.budget_reset_at) {
    row.budget_reset_at = emu.state.budgetResetAt(row.budget_duration);
  }
  emu.state.budgets.set(row.budget_id, row);
  return row;
}

function membershipView(
  emu: Emulator,
  m: MembershipRow,
): Record<string, unknown> {
  return {
    user_id: m.user_id,
    team_id: m.team_id,
    budget_id: m.budget_id,
    spend: m.spend,
    litellm_budget_table: m.budget_id
      ? clone(emu.state.budgets.get(m.budget_id) ?? null)
      : null,
  };
}

/** Adds a member to a team (upserting the user), like LiteLLM's `add_new_member`. */
export function addMember(
  emu: Emulator,
  team: TeamRow,
  member: {
    role?: string;
    user_id?: string | null;
    user_email?: string | null;
  },
  maxBudgetInTeam: number | null | undefined,
  skipIfPresent: boolean,
): { user: UserRow; membership: MembershipRow } {
  const st = emu.state;
  let user: UserRow | undefined;
  if (member.user_id) {
    user = st.users.get(member.user_id);
    if (!user) {
      user = emptyUser(emu, member.user_id, member.user_email ?? null);
      user.user_role = 'internal_user';
      st.users.set(user.user_id, user);
    }
  } else if (member.user_email) {
    user = findUserByEmail(emu, member.user_email);
    if (!user) {
      user = emptyUser(emu, uuid(), member.user_email);
      user.user_role = 'internal_user';
      st.users.set(user.user_id, user);
    }
  } else {
    throw detailError(400, {
      error: 'Either user_id or user_email must be provided for a member',
    });
  }
  const present = team.members_with_roles.some(
    m => m.user_id === user!.user_id,
  );
  if (present && !skipIfPresent) {
    throw proxyError(
      400,
      `User=${user.user_id} already in team. Existing members=${pyRepr(
        team.members_with_roles.map(m => m.user_id),
      )}`,
      'team_member_already_in_team',
      'user_id',
    );
  }
  if (!present) {
    team.members_with_roles.push({
      role: member.role ?? 'user',
      user_id: user.user_id,
      user_email: user.user_email,
    } as TeamMember);
  }
  if (!user.teams.includes(team.team_id)) user.teams.push(team.team_id);
  const mKey = `${team.team_id}\u0001${user.user_id}`;
  let membership = st.memberships.get(mKey);
  if (!membership) {
    membership = {
      user_id: user.user_id,
      team_id: team.team_id,
      budget_id: null,
      spend: 0,
    };
    st.memberships.set(mKey, membership);
  }
  if (maxBudgetInTeam !== undefined && maxBudgetInTeam !== null) {
    const b = newBudgetRow(emu, { max_budget: maxBudgetInTeam }, ADMIN_USER_ID);
    membership.budget_id = b.budget_id;
  }
  return { user, membership };
}

function applyTeamFields(emu: Emulator, team: TeamRow, body: any): void {
  if (body.team_alias !== undefined) team.team_alias = body.team_alias;
  if (body.organization_id !== undefined)
    team.organization_id = body.organization_id;
  const models = optStringList('models', body.models);
  if (models !== undefined) team.models = models;
  const mb = checkBudget('max_budget', body.max_budget);
  if (mb !== undefined) team.max_budget = mb;
  const sb = checkBudget('soft_budget', body.soft_budget);
  if (sb !== undefined) team.soft_budget = sb;
  for (const f of [
    'tpm_limit',
    'rpm_limit',
    'max_parallel_requests',
  ] as const) {
    const v = optInt(f, body[f]);
    if (v !== undefined) team[f] = v;
  }
  if (body.metadata && typeof body.metadata === 'object')
    team.metadata = { ...team.metadata, ...body.metadata };
  for (const f of [
    'model_rpm_limit',
    'model_tpm_limit',
    'model_aliases',
  ] as const) {
    if (body[f] && typeof body[f] === 'object')
      team.metadata = { ...team.metadata, [f]: body[f] };
  }
  if (body.blocked !== undefined && body.blocked !== null)
    team.blocked = Boolean(body.blocked);
  if (body.budget_duration !== undefined) {
    team.budget_duration = body.budget_duration;
    team.budget_reset_at = withDuration(() =>
      emu.state.budgetResetAt(body.budget_duration),
    );
  }
  if (Array.isArray(body.team_member_permissions))
    team.team_member_permissions = [...body.team_member_permissions];
  const memberBudget = checkBudget(
    'team_member_budget',
    body.team_member_budget,
  );
  if (
    memberBudget !== undefined ||
    body.team_member_budget_duration !== undefined
  ) {
    const duration =
      body.team_member_budget_duration ??
      team.team_member_budget_table?.budget_duration ??
      null;
    const fields = {
      max_budget:
        memberBudget ?? team.team_member_budget_table?.max_budget ?? null,
      budget_duration: duration,
      budget_reset_at: withDuration(() => emu.state.budgetResetAt(duration)),
    };
    if (team.team_member_budget_table) {
      Object.assign(team.team_member_budget_table, fields);
      emu.state.budgets.set(
        team.team_member_budget_table.budget_id,
        team.team_member_budget_table,
      );
    } else {
      team.team_member_budget_table = newBudgetRow(emu, fields, ADMIN_USER_ID);
    }
  }
}

function requireTeam(emu: Emulator, teamId: unknown): TeamRow {
  const team =
    typeof teamId === 'string' ? emu.state.teams.get(teamId) : undefined;
  if (!team)
    throw detailError(404, {
      error: `Team not found, passed team_id=${teamId}`,
    });
  return team;
}

function teamWithExtras(emu: Emulator, team: TeamRow): Record<string, unknown> {
  const st = emu.state;
  return {
    ...clone(team),
    team_memberships: [...st.memberships.values()]
      .filter(m => m.team_id === team.team_id)
      .map(m => membershipView(emu, m)),
    keys: [...st.keys.values()]
      .filter(k => k.team_id === team.team_id)
      .map(k => keyRowWithToken(emu, k)),
  };
}

function deleteTeamCascade(emu: Emulator, team: TeamRow, by: string): void {
  const st = emu.state;
  deleteKeysWhere(emu, k => k.team_id === team.team_id, by);
  for (const m of team.members_with_roles) {
    const u = m.user_id ? st.users.get(m.user_id) : undefined;
    if (u) u.teams = u.teams.filter(t => t !== team.team_id);
  }
  for (const [k, m] of st.memberships)
    if (m.team_id === team.team_id) st.memberships.delete(k);
  st.teams.delete(team.team_id);
}

export function registerTeamRoutes(emu: Emulator): void {
  const st = emu.state;
  const by = (ctx: Ctx) => ctx.caller.userId ?? ADMIN_USER_ID;

  emu.route('POST', '/team/new', 'admin', ctx => {
    const body = ctx.body ?? {};
    const teamId: string = body.team_id ? String(body.team_id) : uuid();
    if (st.teams.has(teamId)) {
      throw proxyError(
        400,
        pyRepr({
          error: `Team id = ${teamId} already exists. Please use a different team id.`,
        }),
        'bad_request_error',
        'team_id',
      );
    }
    const members: any[] = Array.isArray(body.members_with_roles)
      ? [...body.members_with_roles]
      : [];
    for (const m of members) {
      if (!m || (m.role !== 'admin' && m.role !== 'user')) {
        throw validationError(
          ['body', 'members_with_roles', 0, 'role'],
          "Input should be 'admin' or 'user'",
          'enum',
          m?.role,
        );
      }
    }
    if (
      emu.behaviour.teamNewAddsCallerAsAdmin &&
      ctx.caller.userId &&
      !members.some(m => m.user_id === ctx.caller.userId)
    ) {
      members.push({
        role: 'admin',
        user_id: ctx.caller.userId,
        user_email: null,
      });
    }
    const now = iso(emu.now());
    const team: TeamRow = {
      team_id: teamId,
      team_alias: null,
      organization_id: null,
      admins: [],
      members: [],
      members_with_roles: [],
      metadata: {},
      tpm_limit: null,
      rpm_limit: null,
      max_budget: null,
      soft_budget: null,
      budget_duration: null,
      budget_reset_at: null,
      models: [],
      blocked: false,
      spend: 0,
      max_parallel_requests: null,
      model_spend: {},
      model_max_budget: {},
      model_id: null,
      litellm_model_table: null,
      team_member_permissions: null,
      team_member_budget_table: null,
      router_settings: null,
      access_group_ids: null,
      object_permission_id: null,
      created_at: now,
      updated_at: now,
    };
    applyTeamFields(emu, team, body);
    st.teams.set(teamId, team);
    for (const m of members) addMember(emu, team, m, undefined, true);
    return teamTable(team);
  });

  emu.route('GET', '/team/info', 'key', ctx => {
    const teamId = ctx.query.get('team_id');
    if (!teamId)
      throw validationError(
        ['query', 'team_id'],
        'Field required',
        'missing',
        null,
      );
    const team = st.teams.get(teamId);
    if (!team)
      throw proxyError(
        404,
        `Team not found, passed team id: ${teamId}.`,
        'auth_error',
        'team_id',
      );
    if (!ctx.caller.isAdmin) {
      const member = team.members_with_roles.some(
        m => m.user_id && m.user_id === ctx.caller.userId,
      );
      if (!member && ctx.caller.key?.team_id !== teamId) {
        throw proxyError(
          403,
          `User=${ctx.caller.userId} not authorized to access this team=${teamId}`,
          'auth_error',
          'team_id',
        );
      }
    }
    const extras = teamWithExtras(emu, team);
    return {
      team_id: teamId,
      team_info: teamTable(team),
      keys: extras.keys,
      team_memberships: extras.team_memberships,
    };
  });

  emu.route('POST', '/team/update', 'admin', ctx => {
    const body = ctx.body ?? {};
    if (!body.team_id)
      throw validationError(
        ['body', 'team_id'],
        'Field required',
        'missing',
        body,
      );
    const team = requireTeam(emu, body.team_id);
    applyTeamFields(emu, team, body);
    team.updated_at = iso(emu.now());
    return { team_id: team.team_id, data: clone(team) };
  });

  emu.route('POST', '/team/member_add', 'admin', ctx => {
    const body = ctx.body ?? {};
    if (!body.team_id)
      throw validationError(
        ['body', 'team_id'],
        'Field required',
        'missing',
        body,
      );
    if (!body.member)
      throw validationError(
        ['body', 'member'],
        'Field required',
        'missing',
        body,
      );
    const team = st.teams.get(String(body.team_id));
    if (!team)
      throw detailError(404, {
        error: `Team not found for team_id=${body.team_id}`,
      });
    const members: any[] = Array.isArray(body.member)
      ? body.member
      : [body.member];
    for (const m of members) {
      if (m.role !== 'admin' && m.role !== 'user') {
        throw validationError(
          ['body', 'member', 'role'],
          "Input should be 'admin' or 'user'",
          'enum',
          m.role,
        );
      }
      if (m.role === 'admin' && !emu.behaviour.premium) {
        throw detailError(400, {
          error:
            'Assigning team admins is a premium feature. You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env.',
        });
      }
    }
    const maxBudget = checkBudget(
      'max_budget_in_team',
      body.max_budget_in_team,
    );
    const updatedUsers: UserRow[] = [];
    const updatedMemberships: MembershipRow[] = [];
    for (const m of members) {
      const r = addMember(emu, team, m, maxBudget, false);
      updatedUsers.push(r.user);
      updatedMemberships.push(r.membership);
    }
    team.updated_at = iso(emu.now());
    return {
      ...clone(team),
      updated_users: updatedUsers.map(u => clone(u)),
      updated_team_memberships: updatedMemberships.map(m =>
        membershipView(emu, m),
      ),
    };
  });

  emu.route('POST', '/team/member_delete', 'admin', ctx => {
    const body = ctx.body ?? {};
    const team = st.teams.get(String(body.team_id));
    if (!team)
      throw detailError(400, {
        error: `Team id=${body.team_id} does not exist in db`,
      });
    let userId: string | undefined = body.user_id;
    if (!userId && body.user_email)
      userId = findUserByEmail(emu, String(body.user_email))?.user_id;
    if (!userId && !body.user_email) {
      throw detailError(400, {
        error: 'Either user_id or user_email needs to be passed in',
      });
    }
    if (!userId || !team.members_with_roles.some(m => m.user_id === userId)) {
      throw detailError(400, { error: 'User not found in team' });
    }
    team.members_with_roles = team.members_with_roles.filter(
      m => m.user_id !== userId,
    );
    team.admins = team.admins.filter(a => a !== userId);
    team.members = team.members.filter(a => a !== userId);
    const user = st.users.get(userId);
    if (user) user.teams = user.teams.filter(t => t !== team.team_id);
    st.memberships.delete(`${team.team_id}\u0001${userId}`);
    team.updated_at = iso(emu.now());
    return clone(team);
  });

  emu.route('POST', '/team/member_update', 'admin', ctx => {
    const body = ctx.body ?? {};
    const team = requireTeam(emu, body.team_id);
    let userId: string | undefined = body.user_id;
    if (!userId && body.user_email)
      userId = findUserByEmail(emu, String(body.user_email))?.user_id;
    const member = team.members_with_roles.find(m => m.user_id === userId);
    if (!userId || !member)
      throw detailError(400, { error: 'User not found in team' });
    if (body.role) {
      if (body.role === 'admin' && !emu.behaviour.premium) {
        throw detailError(400, {
          error: 'Assigning team admins is a premium feature.',
        });
      }
      member.role = body.role;
    }
    const mKey = `${team.team_id}\u0001${userId}`;
    let membership = st.memberships.get(mKey);
    if (!membership) {
      membership = {
        user_id: userId,
        team_id: team.team_id,
        budget_id: null,
        spend: 0,
      };
      st.memberships.set(mKey, membership);
    }
    const mb = checkBudget('max_budget_in_team', body.max_budget_in_team);
    if (mb !== undefined) {
      if (membership.budget_id && st.budgets.has(membership.budget_id)) {
        st.budgets.get(membership.budget_id)!.max_budget = mb;
      } else {
        membership.budget_id = newBudgetRow(
          emu,
          { max_budget: mb },
          by(ctx),
        ).budget_id;
      }
    }
    return {
      team_id: team.team_id,
      user_id: userId,
      user_email: st.users.get(userId)?.user_email ?? null,
      max_budget_in_team: membership.budget_id
        ? st.budgets.get(membership.budget_id)?.max_budget ?? null
        : null,
      tpm_limit: null,
      rpm_limit: null,
    };
  });

  emu.route('GET', '/team/list', 'key', ctx => {
    const userId = ctx.query.get('user_id');
    if (!ctx.caller.isAdmin && (!userId || userId !== ctx.caller.userId)) {
      throw detailError(401, {
        error: `Only admin users can query all teams/other teams. Your user role=internal_user`,
      });
    }
    const org = ctx.query.get('organization_id');
    return [...st.teams.values()]
      .filter(
        t => !userId || t.members_with_roles.some(m => m.user_id === userId),
      )
      .filter(
        t =>
          !org ||
          (org === 'default_organization'
            ? t.organization_id === null
            : t.organization_id === org),
      )
      .map(t => teamWithExtras(emu, t));
  });

  emu.route('GET', '/v2/team/list', 'admin', ctx => {
    const q = ctx.query;
    const page = qInt(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const pageSize = qInt(q, 'page_size', 10, 1, 100);
    const alias = q.get('team_alias')?.toLowerCase();
    const teamId = q.get('team_id');
    const userId = q.get('user_id');
    const org = q.get('organization_id');
    const teams = [...st.teams.values()]
      .filter(t => !alias || (t.team_alias ?? '').toLowerCase().includes(alias))
      .filter(t => !teamId || t.team_id === teamId)
      .filter(
        t => !userId || t.members_with_roles.some(m => m.user_id === userId),
      )
      .filter(t => !org || t.organization_id === org)
      .sort((a, b) => cmp(b.created_at, a.created_at));
    return {
      teams: teams
        .slice((page - 1) * pageSize, page * pageSize)
        .map(t => teamWithExtras(emu, t)),
      total: teams.length,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(teams.length / pageSize),
    };
  });

  emu.route('POST', '/team/delete', 'admin', ctx => {
    const ids: unknown = ctx.body?.team_ids;
    if (!Array.isArray(ids))
      throw validationError(
        ['body', 'team_ids'],
        'Field required',
        'missing',
        ctx.body ?? {},
      );
    for (const id of ids) requireTeam(emu, String(id));
    for (const id of ids)
      deleteTeamCascade(emu, st.teams.get(String(id))!, by(ctx));
    return { deleted_teams: ids };
  });

  const block = (blocked: boolean) => (ctx: Ctx) => {
    const team = requireTeam(emu, ctx.body?.team_id);
    team.blocked = blocked;
    team.updated_at = iso(emu.now());
    return clone(team);
  };
  emu.route('POST', '/team/block', 'admin', block(true));
  emu.route('POST', '/team/unblock', 'admin', block(false));

  const teamModels = (add: boolean) => (ctx: Ctx) => {
    const team = requireTeam(emu, ctx.body?.team_id);
    const models = optStringList('models', ctx.body?.models) ?? [];
    team.models = add
      ? [...new Set([...team.models, ...models])]
      : team.models.filter(m => !models.includes(m));
    team.updated_at = iso(emu.now());
    return clone(team);
  };
  emu.route('POST', '/team/model/add', 'admin', teamModels(true));
  emu.route('POST', '/team/model/delete', 'admin', teamModels(false));
}
