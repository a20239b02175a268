/*
 * Public and internal types of the LiteLLM emulator.
 */

/** A model in LiteLLM's `/model/info` shape. */
export interface EmulatorModel {
  model_name: string;
  litellm_params: {
    model: string;
    api_base?: string;
    mock_response?: string;
    [key: string]: unknown;
  };
  model_info: {
    id?: string;
    mode?: 'chat' | 'completion' | 'embedding' | string;
    litellm_provider?: string;
    max_tokens?: number | null;
    max_input_tokens?: number | null;
    max_output_tokens?: number | null;
    input_cost_per_token?: number;
    output_cost_per_token?: number;
    /** Price of a prompt token written to the provider's cache. */
    cache_creation_input_token_cost?: number | null;
    /** Price of a prompt token read from the provider's cache. */
    cache_read_input_token_cost?: number | null;
    output_vector_size?: number | null;
    supports_function_calling?: boolean;
    supports_vision?: boolean;
    supports_tool_choice?: boolean;
    supports_response_schema?: boolean;
    supports_system_messages?: boolean;
    supports_prompt_caching?: boolean;
    supports_reasoning?: boolean;
    supported_openai_params?: string[] | null;
    [key: string]: unknown;
  };
}

/**
 * Switches between LiteLLM behaviours that changed across versions ([new] default, [old] opt-in)
 * and a few knobs of the emulator itself.
 */
export interface EmulatorBehaviour {
  /** `/user/info` for an unknown user: [new] 404, [old] 200 `{"user_info":{"spend":0},...}`. */
  userInfoUnknown: '404' | 'empty200';
  /** Status of budget_exceeded errors on the data plane: [new] 429, [old] 400. */
  budgetExceededStatus: 429 | 400;
  /** `/key/regenerate`: works ('enabled') or the OSS enterprise-only 500 ('enterprise500'). */
  regenerate: 'enabled' | 'enterprise500';
  /** Model not in the key's list: [new] 403, [old] 401. */
  modelNotAllowedStatus: 403 | 401;
  /** Expired key: [new] 401 with the masked key as param, [old] 400 with the raw key as param. */
  expiredKeyStatus: 401 | 400;
  /** `error.code` in ProxyException bodies: [new] a string ("401"), [old] a number. */
  errorCodeType: 'string' | 'number';
  /** `/user/new` with an existing id/email: [new] 409, [old] upsert. */
  duplicateUser: '409' | 'upsert';
  /** `budget_reset_at`: [new] aligned to calendar boundaries (UTC), [old] now + duration. */
  budgetResetAlignment: 'calendar' | 'rolling';
  /** `/team/member_add` with role admin is a premium feature (400) unless true. Also key `tags`
   * and key `model_max_budget` (500 without it). */
  premium: boolean;
  /** `/team/new` by the master key adds `{role: admin, user_id: default_user_id}` as a member. */
  teamNewAddsCallerAsAdmin: boolean;
  /** Usage of mock completions: estimate from text length (chars/4), or LiteLLM's fixed 10/20/30. */
  usage: 'estimate' | 'fixed';
  /** Delay before spend lands in key/user/team totals (LiteLLM batches every ~10 s). 0 = immediate. */
  spendWriteLagMs: number;
  /** Spend-log rows retained in memory (oldest are dropped); daily rollups are never dropped. */
  maxSpendLogRows: number;
  /** Delay between streamed chunks, in ms. */
  streamChunkDelayMs: number;
}

export const DEFAULT_BEHAVIOUR: EmulatorBehaviour = {
  userInfoUnknown: '404',
  budgetExceededStatus: 429,
  regenerate: 'enabled',
  modelNotAllowedStatus: 403,
  expiredKeyStatus: 401,
  errorCodeType: 'string',
  duplicateUser: '409',
  budgetResetAlignment: 'calendar',
  premium: false,
  teamNewAddsCallerAsAdmin: true,
  usage: 'estimate',
  spendWriteLagMs: 0,
  maxSpendLogRows: 2_000_000,
  streamChunkDelayMs: 0,
};

/** A fault injected on a path (emulator test hook). */
export interface FaultSpec {
  /** Exact path (`/key/generate`), a prefix ending in `*` (`/key/*`), or `*` for all. */
  path: string;
  /** Only this HTTP method (any when omitted). */
  method?: string;
  /** Answer with this status instead of running the handler. */
  status?: number;
  /** Body for `status` (JSON-encoded unless a string). Default: a ProxyException body. */
  body?: unknown;
  /** Extra response headers for `status`. */
  headers?: Record<string, string>;
  /** Wait this long before answering (or before running the handler when no status). */
  latencyMs?: number;
  /**
   * With `latencyMs` (and no `status`/`drop`): the call still takes effect after the wait
   * even when the client gave up meanwhile, as LiteLLM does when it commits work late.
   * Without it, a call whose client went away during the wait does nothing.
   */
  lateEffect?: boolean;
  /** Destroy the connection without an answer. */
  drop?: boolean;
  /**
   * Run the call, then send its status, headers and half of its body and destroy the
   * connection: LiteLLM did the work, but the client never reads a whole answer.
   */
  truncate?: boolean;
  /** Apply to the next N matching calls only (default: until cleared). */
  times?: number;
}

export interface BudgetRow {
  budget_id: string;
  max_budget: number | null;
  soft_budget: number | null;
  max_parallel_requests: number | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  model_max_budget: Record<string, unknown> | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface KeyRow {
  token: string;
  key_name: string;
  key_alias: string | null;
  spend: number;
  max_budget: number | null;
  soft_budget?: number | null;
  expires: string | null;
  models: string[];
  aliases: Record<string, unknown>;
  config: Record<string, unknown>;
  user_id: string | null;
  team_id: string | null;
  max_parallel_requests: number | null;
  metadata: Record<string, unknown>;
  tpm_limit: number | null;
  rpm_limit: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  allowed_cache_controls: string[];
  allowed_routes: string[];
  permissions: Record<string, unknown>;
  model_spend: Record<string, number>;
  model_max_budget: Record<string, unknown>;
  soft_budget_cooldown: boolean;
  blocked: boolean | null;
  organization_id: string | null;
  budget_id: string | null;
  key_type?: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  last_active: string | null;
  rotation_count: number;
  auto_rotate: boolean;
  rotation_interval: string | null;
  last_rotation_at: string | null;
  /** When an auto-rotated key is next rotated. */
  key_rotation_at: string | null;
  object_permission_id: string | null;
  agent_id: string | null;
  project_id: string | null;
  access_group_ids: string[] | null;
  router_settings: Record<string, unknown> | null;
}

export interface UserRow {
  user_id: string;
  user_email: string | null;
  user_alias: string | null;
  user_role: string | null;
  spend: number;
  max_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  models: string[];
  teams: string[];
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
  metadata: Record<string, unknown>;
  model_spend: Record<string, number>;
  model_max_budget: Record<string, unknown>;
  sso_user_id: string | null;
  organization_memberships: unknown[];
  created_at: string;
  updated_at: string;
}

export interface TeamMember {
  role: 'admin' | 'user' | string;
  user_id: string | null;
  user_email: string | null;
}

export interface TeamRow {
  team_id: string;
  team_alias: string | null;
  organization_id: string | null;
  admins: string[];
  members: string[];
  members_with_roles: TeamMember[];
  metadata: Record<string, unknown>;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_budget: number | null;
  soft_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  models: string[];
  blocked: boolean;
  spend: number;
  max_parallel_requests: number | null;
  model_spend: Record<string, number>;
  model_max_budget: Record<string, unknown>;
  model_id: number | null;
  litellm_model_table: unknown;
  team_member_permissions: string[] | null;
  team_member_budget_table: BudgetRow | null;
  router_settings: Record<string, unknown> | null;
  access_group_ids: string[] | null;
  object_permission_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface MembershipRow {
  user_id: string;
  team_id: string;
  budget_id: string | null;
  spend: number;
}

/** Counters of a daily rollup row (LiteLLM_DailyUserSpend / LiteLLM_DailyTeamSpend). */
export interface DailyRow {
  /** user_id or team_id (null = Unassigned). */
  entity: string | null;
  date: string;
  api_key: string;
  model: string;
  model_group: string;
  custom_llm_provider: string | null;
  endpoint: string;
  prompt_tokens: number;
  completion_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  spend: number;
  api_requests: number;
  successful_requests: number;
  failed_requests: number;
}

/** Caller identity resolved by the auth middleware. */
export interface Caller {
  isAdmin: boolean;
  /** Hash of the key used (master key too). */
  token: string;
  key: KeyRow | null;
  userId: string | null;
  rawKey: string;
}
