import type { Emulator } from '../emulator';
import { proxyError } from '../errors';
import type { BudgetRow, KeyRow, TeamRow, UserRow } from '../types';
import { BadDurationError, iso, pyRepr } from '../util';

/** `/key/info` row: the key row without `token`, plus its budget table. */
export function keyInfoRow(
  emu: Emulator,
  row: KeyRow,
): Record<string, unknown> {
  const { token: _token, ...rest } = row;
  return {
    ...clone(rest),
    litellm_budget_table: budgetTable(emu, row.budget_id),
    object_permission: null,
  };
}

/** A key row including the token hash (team/user info, full /key/list objects). */
export function keyRowWithToken(
  emu: Emulator,
  row: KeyRow,
): Record<string, unknown> {
  const team = row.team_id ? emu.state.teams.get(row.team_id) : undefined;
  return {
    ...clone(row),
    litellm_budget_table: budgetTable(emu, row.budget_id),
    team_alias: team?.team_alias ?? null,
  };
}

/** `LiteLLM_TeamTable`: the row with its (here always absent) object permission. */
export function teamTable(team: TeamRow): Record<string, unknown> {
  return { ...clone(team), object_permission: null };
}

/** `LiteLLM_UserTable`: the row with its (here always absent) object permission. */
export function userTable(user: UserRow): Record<string, unknown> {
  return { ...clone(user), object_permission: null };
}

export function budgetTable(
  emu: Emulator,
  budgetId: string | null,
): BudgetRow | null {
  if (!budgetId) return null;
  const b = emu.state.budgets.get(budgetId);
  return b ? clone(b) : null;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Validates a non-negative finite number (or null/undefined). */
export function checkBudget(
  name: string,
  value: unknown,
): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw proxyError(
      400,
      `${name} must be a finite number. Received: ${pyRepr(value)}`,
      'bad_request_error',
      name,
    );
  }
  if (n < 0) {
    throw proxyError(
      400,
      `${name} cannot be negative. Received: ${value}`,
      'bad_request_error',
      name,
    );
  }
  return n;
}

export function optInt(
  name: string,
  value: unknown,
): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isInteger(n)) {
    throw proxyError(
      400,
      `${name} must be an integer. Received: ${pyRepr(value)}`,
      'bad_request_error',
      name,
    );
  }
  return n;
}

export function optStringList(
  name: string,
  value: unknown,
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    throw proxyError(
      400,
      `${name} must be a list of strings`,
      'bad_request_error',
      name,
    );
  }
  return [...value];
}

/** Wraps duration parsing errors like LiteLLM (a ValueError → 500). */
export function withDuration<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BadDurationError) {
      throw proxyError(500, e.message, 'internal_server_error', 'None');
    }
    throw e;
  }
}

export function nowIso(emu: Emulator): string {
  return iso(emu.now());
}

/** `{ ...paged slice, total_pages }` helper. */
export function paginate<T>(
  items: T[],
  page: number,
  size: number,
): { slice: T[]; totalPages: number } {
  const totalPages = Math.ceil(items.length / size);
  return { slice: items.slice((page - 1) * size, page * size), totalPages };
}

/** Three-way comparison of strings. */
export function cmp(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
