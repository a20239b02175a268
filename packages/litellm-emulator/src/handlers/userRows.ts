import { Emulator } from '../emulator';
import type { UserRow } from '../types';
import { iso } from '../util';

/** User rows shared by the user and team handlers (teams upsert users on member_add). */
export function emptyUser(
  emu: Emulator,
  userId: string,
  email: string | null,
): UserRow {
  const now = iso(emu.now());
  return {
    user_id: userId,
    user_email: email,
    user_alias: null,
    user_role: null,
    spend: 0,
    max_budget: null,
    budget_duration: null,
    budget_reset_at: null,
    models: [],
    teams: [],
    tpm_limit: null,
    rpm_limit: null,
    max_parallel_requests: null,
    metadata: {},
    model_spend: {},
    model_max_budget: {},
    sso_user_id: null,
    organization_memberships: [],
    created_at: now,
    updated_at: now,
  };
}

export function findUserByEmail(
  emu: Emulator,
  email: string,
): UserRow | undefined {
  const e = email.toLowerCase();
  for (const u of emu.state.users.values()) {
    if (u.user_email && u.user_email.toLowerCase() === e) return u;
  }
  return undefined;
}
