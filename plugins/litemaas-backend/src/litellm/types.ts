/*
 * Request and response types of the LiteLLM management API, as far as the portal uses it.
 * Field names are LiteLLM's (snake_case) so that bodies travel unchanged. Response types
 * carry an index signature: LiteLLM adds fields between versions and the client keeps them.
 */

/** A LiteLLM duration: `"30s"`, `"30m"`, `"30h"`, `"30d"`, `"1w"`, `"1mo"`. @public */
export type LiteLLMDuration = string;

/** JSON-ish free-form metadata. @public */
export type LiteLLMMetadata = Record<string, unknown>;

// ---------------------------------------------------------------- models and health

/** One deployment of `GET /model/info`. @public */
export interface LiteLLMModelInfo {
  model_name: string;
  litellm_params?: { model?: string; [field: string]: unknown };
  model_info?: {
    id?: string;
    mode?: string;
    max_tokens?: number | null;
    max_input_tokens?: number | null;
    max_output_tokens?: number | null;
    input_cost_per_token?: number | null;
    output_cost_per_token?: number | null;
    litellm_provider?: string | null;
    supports_function_calling?: boolean | null;
    supports_vision?: boolean | null;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** One entry of `GET /v1/models` (`created`/`owned_by` are constants). @public */
export interface LiteLLMModel {
  id: string;
  object?: string;
  created?: number;
  owned_by?: string;
  [field: string]: unknown;
}

/** `GET /health/readiness`. Check that the call succeeded rather than `status`. @public */
export interface LiteLLMReadiness {
  status?: string;
  db?: string;
  cache?: unknown;
  litellm_version?: string;
  [field: string]: unknown;
}

// ---------------------------------------------------------------- keys

/** Body of `POST /key/generate`. @public */
export interface LiteLLMKeyGenerateRequest {
  /** Caller-chosen secret; must start with `sk-`. Usually omitted. */
  key?: string;
  /** Globally unique across all keys of the proxy. */
  key_alias?: string | null;
  /** Validity; null = never expires. */
  duration?: LiteLLMDuration | null;
  /** Allowed models; `[]` = all the owner may use. */
  models?: string[];
  user_id?: string | null;
  team_id?: string | null;
  max_budget?: number | null;
  soft_budget?: number | null;
  budget_duration?: LiteLLMDuration | null;
  budget_id?: string | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  model_rpm_limit?: Record<string, number> | null;
  model_tpm_limit?: Record<string, number> | null;
  /** Enterprise only (500 otherwise). */
  model_max_budget?: Record<
    string,
    { budget_limit: number; time_period?: LiteLLMDuration }
  > | null;
  metadata?: LiteLLMMetadata;
  /** Enterprise only (500 otherwise). */
  tags?: string[] | null;
  spend?: number;
  blocked?: boolean | null;
  aliases?: Record<string, string>;
  allowed_routes?: string[];
  key_type?: 'llm_api' | 'management' | 'read_only' | 'default';
  organization_id?: string | null;
}

/** Body of `POST /key/update` (besides `key`); null clears where LiteLLM allows it. @public */
export interface LiteLLMKeyUpdateRequest
  extends Omit<LiteLLMKeyGenerateRequest, 'key'> {
  /** Enterprise; set together with `temp_budget_expiry`. */
  temp_budget_increase?: number | null;
  temp_budget_expiry?: string | null;
}

/** Answer of `POST /key/generate` and `POST /key/{key}/regenerate`. @public */
export interface LiteLLMGeneratedKey {
  /** The secret. Returned only here: store it nowhere, show it once. */
  key: string;
  /** `sk-...abcd`. */
  key_name?: string | null;
  /** SHA-256 of `key`, LiteLLM's id of the key (always filled by the client). */
  token: string;
  token_id?: string | null;
  key_alias?: string | null;
  expires?: string | null;
  user_id?: string | null;
  team_id?: string | null;
  models?: string[];
  spend?: number | null;
  max_budget?: number | null;
  budget_duration?: string | null;
  budget_id?: string | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  metadata?: LiteLLMMetadata | null;
  blocked?: boolean | null;
  created_at?: string | null;
  [field: string]: unknown;
}

/** A key row as `/key/info`, `/key/list?return_full_object`, `/user/info` and `/team/info` show it. @public */
export interface LiteLLMKeyInfo {
  /** SHA-256 id of the key (filled by the client when LiteLLM omits it). */
  token: string;
  key_name?: string | null;
  key_alias?: string | null;
  spend?: number | null;
  max_budget?: number | null;
  soft_budget?: number | null;
  expires?: string | null;
  models?: string[];
  user_id?: string | null;
  team_id?: string | null;
  metadata?: LiteLLMMetadata | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  budget_duration?: string | null;
  budget_reset_at?: string | null;
  blocked?: boolean | null;
  model_spend?: Record<string, number> | null;
  litellm_budget_table?: LiteLLMMetadata | null;
  created_at?: string | null;
  updated_at?: string | null;
  last_active?: string | null;
  [field: string]: unknown;
}

/** Query of `GET /key/list`. @public */
export interface LiteLLMKeyListQuery {
  page?: number;
  /** 1–100 (LiteLLM answers 422 above). */
  size?: number;
  user_id?: string;
  team_id?: string;
  organization_id?: string;
  key_alias?: string;
  include_team_keys?: boolean;
  sort_by?:
    | 'spend'
    | 'max_budget'
    | 'created_at'
    | 'updated_at'
    | 'token'
    | 'key_alias';
  sort_order?: 'asc' | 'desc';
  status?: 'deleted';
}

/** One page of `GET /key/list`. @public */
export interface LiteLLMKeyListPage<T> {
  keys: T[];
  total_count: number;
  current_page: number;
  total_pages: number;
  [field: string]: unknown;
}

/** Options of a regeneration. @public */
export interface LiteLLMKeyRegenerateRequest
  extends Omit<LiteLLMKeyUpdateRequest, 'key'> {
  /** Caller-chosen new secret (must start with `sk-`). */
  new_key?: string;
  /** Keeps the old key valid this long, e.g. `"24h"`. */
  grace_period?: LiteLLMDuration;
}

// ---------------------------------------------------------------- users

/** Roles of LiteLLM internal users. @public */
export type LiteLLMUserRole =
  | 'proxy_admin'
  | 'proxy_admin_viewer'
  | 'internal_user'
  | 'internal_user_viewer';

/** Body of `POST /user/new`. The client sends `auto_create_key: false` unless told otherwise. @public */
export interface LiteLLMUserNewRequest {
  user_id?: string;
  user_email?: string | null;
  user_alias?: string | null;
  user_role?: LiteLLMUserRole;
  teams?: Array<
    | string
    | { team_id: string; max_budget_in_team?: number; user_role?: string }
  >;
  max_budget?: number | null;
  budget_duration?: LiteLLMDuration | null;
  soft_budget?: number | null;
  models?: string[];
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  metadata?: LiteLLMMetadata;
  auto_create_key?: boolean;
  key_alias?: string;
  duration?: LiteLLMDuration | null;
  send_invite_email?: boolean;
  sso_user_id?: string | null;
}

/** Body of `POST /user/update` (besides `user_id`). @public */
export type LiteLLMUserUpdateRequest = Omit<
  LiteLLMUserNewRequest,
  | 'user_id'
  | 'auto_create_key'
  | 'key_alias'
  | 'duration'
  | 'teams'
  | 'send_invite_email'
> & { spend?: number };

/** A user row. @public */
export interface LiteLLMUser {
  user_id: string;
  user_email?: string | null;
  user_alias?: string | null;
  user_role?: string | null;
  spend?: number | null;
  max_budget?: number | null;
  budget_duration?: string | null;
  budget_reset_at?: string | null;
  models?: string[];
  teams?: string[];
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  metadata?: LiteLLMMetadata | null;
  created_at?: string | null;
  updated_at?: string | null;
  [field: string]: unknown;
}

/** Answer of `POST /user/new`. @public */
export interface LiteLLMNewUser extends LiteLLMUser {
  /** The auto-created key, `""` when `auto_create_key` was false. */
  key?: string | null;
  expires?: string | null;
}

/** Normalized answer of `GET /user/info` for an existing user. @public */
export interface LiteLLMUserInfo {
  user_id: string;
  user_info: LiteLLMUser;
  keys: LiteLLMKeyInfo[];
  teams: LiteLLMTeam[];
  [field: string]: unknown;
}

/** Query of `GET /user/list`. @public */
export interface LiteLLMUserListQuery {
  role?: LiteLLMUserRole;
  /** Several ids are an exact list; a single id is a substring match in LiteLLM. */
  user_ids?: string[];
  user_email?: string;
  team?: string;
  page?: number;
  page_size?: number;
  sort_by?:
    | 'user_id'
    | 'user_email'
    | 'created_at'
    | 'spend'
    | 'user_alias'
    | 'user_role';
  sort_order?: 'asc' | 'desc';
}

/** One page of `GET /user/list`. @public */
export interface LiteLLMUserListPage {
  users: LiteLLMUser[];
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
  [field: string]: unknown;
}

// ---------------------------------------------------------------- teams

/** A member of a team. @public */
export interface LiteLLMTeamMember {
  /** On LiteLLM OSS only `user` is allowed (admin is a premium feature). */
  role: 'admin' | 'user';
  user_id?: string;
  user_email?: string;
}

/** Body of `POST /team/new`. @public */
export interface LiteLLMTeamNewRequest {
  team_id?: string;
  team_alias?: string | null;
  members_with_roles?: LiteLLMTeamMember[];
  models?: string[];
  max_budget?: number | null;
  soft_budget?: number | null;
  budget_duration?: LiteLLMDuration | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  model_rpm_limit?: Record<string, number> | null;
  model_tpm_limit?: Record<string, number> | null;
  team_member_budget?: number | null;
  team_member_budget_duration?: LiteLLMDuration | null;
  team_member_rpm_limit?: number | null;
  team_member_tpm_limit?: number | null;
  team_member_key_duration?: LiteLLMDuration | null;
  metadata?: LiteLLMMetadata;
  blocked?: boolean;
  organization_id?: string | null;
  model_aliases?: Record<string, string>;
}

/** Body of `POST /team/update` (besides `team_id`). @public */
export type LiteLLMTeamUpdateRequest = Omit<
  LiteLLMTeamNewRequest,
  'team_id' | 'members_with_roles'
>;

/** A team row. @public */
export interface LiteLLMTeam {
  team_id: string;
  team_alias?: string | null;
  organization_id?: string | null;
  members_with_roles?: LiteLLMTeamMember[];
  models?: string[];
  max_budget?: number | null;
  spend?: number | null;
  budget_duration?: string | null;
  budget_reset_at?: string | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  blocked?: boolean | null;
  metadata?: LiteLLMMetadata | null;
  created_at?: string | null;
  updated_at?: string | null;
  [field: string]: unknown;
}

/** A team membership (per-member budget). @public */
export interface LiteLLMTeamMembership {
  user_id: string;
  team_id: string;
  budget_id?: string | null;
  spend?: number | null;
  litellm_budget_table?: LiteLLMMetadata | null;
  [field: string]: unknown;
}

/** Answer of `GET /team/info`. @public */
export interface LiteLLMTeamInfo {
  team_id: string;
  team_info: LiteLLMTeam;
  keys: LiteLLMKeyInfo[];
  team_memberships: LiteLLMTeamMembership[];
  [field: string]: unknown;
}

/** Answer of `POST /team/member_add`. @public */
export interface LiteLLMTeamMemberAddResult extends LiteLLMTeam {
  updated_users?: LiteLLMUser[];
  updated_team_memberships?: LiteLLMTeamMembership[];
}

// ---------------------------------------------------------------- budgets

/** Body of `POST /budget/new`. @public */
export interface LiteLLMBudgetRequest {
  budget_id?: string;
  max_budget?: number | null;
  soft_budget?: number | null;
  max_parallel_requests?: number | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  budget_duration?: LiteLLMDuration | null;
  budget_reset_at?: string | null;
  /** Enterprise only. */
  model_max_budget?: Record<string, LiteLLMMetadata> | null;
}

/** A budget row. @public */
export interface LiteLLMBudget {
  budget_id: string;
  max_budget?: number | null;
  soft_budget?: number | null;
  max_parallel_requests?: number | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  budget_duration?: string | null;
  budget_reset_at?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  [field: string]: unknown;
}

// ---------------------------------------------------------------- spend and usage

/** Query of the legacy `GET /spend/logs`. @public */
export interface LiteLLMSpendLogsQuery {
  /** Key hash (a raw key is hashed by the client). */
  api_key?: string;
  user_id?: string;
  request_id?: string;
  /** `YYYY-MM-DD`. */
  start_date?: string;
  end_date?: string;
  /** LiteLLM's default is true (per-day aggregates when both dates are given). */
  summarize?: boolean;
}

/** A SpendLogs row (or, with `summarize`, a per-day aggregate). @public */
export interface LiteLLMSpendLog {
  request_id?: string;
  api_key?: string;
  spend?: number;
  total_tokens?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  startTime?: string;
  endTime?: string;
  model?: string;
  user?: string | null;
  team_id?: string | null;
  status?: string;
  [field: string]: unknown;
}

/** Query of `GET /spend/logs/ui` (paged). @public */
export interface LiteLLMSpendLogsPageQuery {
  /** `YYYY-MM-DD HH:MM:SS` UTC, required. */
  start_date: string;
  end_date: string;
  page?: number;
  /** ≤ 100. */
  page_size?: number;
  api_key?: string;
  user_id?: string;
  team_id?: string;
  request_id?: string;
  model?: string;
  status_filter?: 'success' | 'failure';
  min_spend?: number;
  max_spend?: number;
}

/** One page of `GET /spend/logs/ui`. `total` is a hint. @public */
export interface LiteLLMSpendLogsPage {
  data: LiteLLMSpendLog[];
  total?: number;
  page: number;
  page_size?: number;
  total_pages: number;
  [field: string]: unknown;
}

/** Counters of the daily activity endpoints (extra numeric counters are kept). @public */
export interface LiteLLMDailyMetrics {
  spend: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  api_requests: number;
  successful_requests: number;
  failed_requests: number;
  [counter: string]: number;
}

/** One breakdown entry (`models.<m>`, `api_keys.<hash>`, `entities.<id>`...). @public */
export interface LiteLLMDailyBreakdownEntry {
  metrics: LiteLLMDailyMetrics;
  metadata?: LiteLLMMetadata;
  api_key_breakdown?: Record<string, LiteLLMDailyBreakdownEntry>;
  [field: string]: unknown;
}

/** One result row (a day, or a part of a day: paging is over raw rows). @public */
export interface LiteLLMDailyActivityDay {
  date: string;
  metrics: LiteLLMDailyMetrics;
  breakdown: {
    models?: Record<string, LiteLLMDailyBreakdownEntry>;
    model_groups?: Record<string, LiteLLMDailyBreakdownEntry>;
    providers?: Record<string, LiteLLMDailyBreakdownEntry>;
    api_keys?: Record<string, LiteLLMDailyBreakdownEntry>;
    entities?: Record<string, LiteLLMDailyBreakdownEntry>;
    [dimension: string]: Record<string, LiteLLMDailyBreakdownEntry> | undefined;
  };
}

/** How a daily activity page is read. @public */
export interface LiteLLMDailyActivityPageOptions {
  /**
   * The breakdown dimensions to keep (`models`, `api_keys`, …); the others are dropped
   * unread, which saves time and memory on pages of thousands of rows. Default: all.
   */
  breakdowns?: readonly string[];
  /**
   * Of the kept dimensions, those whose entries keep their `metadata` alone (their
   * metrics are one shared, frozen object of zeros): `api_keys` for the keys' owners
   * without their counters.
   */
  metadataOnly?: readonly string[];
}

/** One page of `/user/daily/activity` or `/team/daily/activity`. @public */
export interface LiteLLMDailyActivityPage {
  results: LiteLLMDailyActivityDay[];
  metadata: {
    page: number;
    total_pages: number;
    has_more: boolean;
    /** The `total_*` counters, which only sum the current page. */
    [field: string]: unknown;
  };
}

/** All pages of a daily activity query merged: one entry per date, totals over all pages. @public */
export interface LiteLLMDailyActivityReport {
  /** Sorted by date, newest first (LiteLLM's order). */
  results: LiteLLMDailyActivityDay[];
  totals: LiteLLMDailyMetrics;
  pages: number;
}

/** Query of `GET /user/daily/activity`. @public */
export interface LiteLLMUserDailyActivityQuery {
  /** `YYYY-MM-DD` (UTC buckets). */
  start_date: string;
  end_date: string;
  /** Omit (as admin) for everyone. */
  user_id?: string;
  model?: string;
  /** Key hash (a raw key is hashed by the client). */
  api_key?: string;
  page?: number;
  /** ≤ 1000. */
  page_size?: number;
  /** Minutes, JS `getTimezoneOffset` convention [new]. */
  timezone?: number;
}

/** Query of `GET /team/daily/activity`. @public */
export interface LiteLLMTeamDailyActivityQuery {
  start_date: string;
  end_date: string;
  /** Omitted = all teams. */
  team_ids?: string[];
  exclude_team_ids?: string[];
  model?: string;
  api_key?: string;
  page?: number;
  page_size?: number;
  timezone?: number;
}
