import { ADMIN_USER_ID, Emulator } from '../emulator';
import { detailError } from '../errors';
import type { BudgetRow } from '../types';
import { iso, pyRepr, uuid } from '../util';
import { clone, withDuration } from './common';

function budgetNumber(name: string, value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw detailError(400, {
      error: `${name} must be a non-negative finite number. Received: ${pyRepr(
        value,
      )}`,
    });
  }
  return n;
}

function applyBudgetFields(emu: Emulator, row: BudgetRow, body: any): void {
  for (const f of ['max_budget', 'soft_budget'] as const) {
    const v = budgetNumber(f, body[f]);
    if (v !== undefined) row[f] = v;
  }
  for (const f of [
    'max_parallel_requests',
    'tpm_limit',
    'rpm_limit',
  ] as const) {
    if (body[f] !== undefined)
      row[f] = body[f] === null ? null : Number(body[f]);
  }
  if (body.model_max_budget !== undefined)
    row.model_max_budget = body.model_max_budget;
  if (body.budget_duration !== undefined) {
    row.budget_duration = body.budget_duration;
    row.budget_reset_at = withDuration(() =>
      emu.state.budgetResetAt(body.budget_duration),
    );
  }
  if (body.budget_reset_at !== undefined) {
    row.budget_reset_at = body.budget_reset_at;
    if (body.budget_reset_at)
      emu.state.noteReset(Date.parse(body.budget_reset_at));
  }
}

export function registerBudgetRoutes(emu: Emulator): void {
  const st = emu.state;

  emu.route('POST', '/budget/new', 'admin', ctx => {
    const body = ctx.body ?? {};
    const id: string = body.budget_id ? String(body.budget_id) : uuid();
    if (st.budgets.has(id))
      throw detailError(400, {
        error: `Budget with id '${id}' already exists.`,
      });
    const now = iso(emu.now());
    const by = ctx.caller.userId ?? ADMIN_USER_ID;
    const row: BudgetRow = {
      budget_id: id,
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
    };
    applyBudgetFields(emu, row, body);
    st.budgets.set(id, row);
    return clone(row);
  });

  emu.route('POST', '/budget/info', 'admin', ctx => {
    const ids: unknown = ctx.body?.budgets;
    if (!Array.isArray(ids) || ids.length === 0) {
      throw detailError(400, {
        error: `Specify list of budget id's to query. Passed in=${pyRepr(
          ids ?? null,
        )}`,
      });
    }
    return ids
      .map(id => st.budgets.get(String(id)))
      .filter(b => !!b)
      .map(b => clone(b!));
  });

  emu.route('GET', '/budget/settings', 'admin', ctx => {
    const id = ctx.query.get('budget_id');
    const row = id ? st.budgets.get(id) : undefined;
    if (!row)
      throw detailError(400, {
        error: `Budget not found, passed budget_id=${id}`,
      });
    return Object.entries(row)
      .filter(
        ([k]) =>
          ![
            'budget_id',
            'created_at',
            'created_by',
            'updated_at',
            'updated_by',
          ].includes(k),
      )
      .map(([field, value]) => ({
        field_name: field,
        field_type: typeof value,
        field_value: value,
        field_description: '',
      }));
  });

  emu.route('POST', '/budget/update', 'admin', ctx => {
    const body = ctx.body ?? {};
    if (!body.budget_id)
      throw detailError(400, { error: 'budget_id is required' });
    const row = st.budgets.get(String(body.budget_id));
    if (!row)
      throw detailError(400, {
        error: `Budget id=${body.budget_id} not found`,
      });
    applyBudgetFields(emu, row, body);
    row.updated_at = iso(emu.now());
    row.updated_by = ctx.caller.userId ?? ADMIN_USER_ID;
    return clone(row);
  });

  emu.route('POST', '/budget/delete', 'admin', ctx => {
    const id = ctx.body?.id;
    if (!id) throw detailError(400, { error: 'id is required' });
    const row = st.budgets.get(String(id));
    if (!row) throw detailError(400, { error: `Budget id=${id} not found` });
    st.budgets.delete(String(id));
    for (const m of st.memberships.values())
      if (m.budget_id === id) m.budget_id = null;
    for (const k of st.keys.values())
      if (k.budget_id === id) k.budget_id = null;
    return clone(row);
  });

  emu.route('GET', '/budget/list', 'admin', () =>
    [...st.budgets.values()].map(b => clone(b)),
  );
}
