import { startEmulator, RunningEmulator } from './index';
import { api, chat, mintKey } from './__testUtils__/http';

/*
 * The emulator's answers, field by field, against LiteLLM's own response models. Each list
 * below is copied from LiteLLM's source (path and model named above it) and says every
 * field LiteLLM returns with its JSON type: s string, n number, b boolean, a array,
 * o object, * anything; a trailing ? means it may be null (Optional[...] in pydantic).
 * When LiteLLM adds or changes a field, update the list from its source: the test then
 * shows what the emulator lacks. Fields the emulator returns beyond a list are listed in
 * EXTRAS with where they come from, so drift shows in both directions.
 */

type FieldSpec = Record<string, string>;

/** litellm/proxy/_types.py GenerateRequestBase (fields shared by key and user requests). */
const GENERATE_REQUEST_BASE: FieldSpec = {
  key_alias: 's?',
  duration: 's?',
  models: 'a?',
  spend: 'n?',
  max_budget: 'n?',
  user_id: 's?',
  team_id: 's?',
  agent_id: 's?',
  max_parallel_requests: 'n?',
  metadata: 'o?',
  tpm_limit: 'n?',
  rpm_limit: 'n?',
  budget_duration: 's?',
  allowed_cache_controls: 'a?',
  config: 'o?',
  permissions: 'o?',
  model_max_budget: 'o?',
  model_rpm_limit: 'o?',
  model_tpm_limit: 'o?',
  guardrails: 'a?',
  policies: 'a?',
  prompts: 'a?',
  blocked: 'b?',
  aliases: 'o?',
  object_permission: 'o?',
};

/** litellm/proxy/_types.py KeyRequestBase(GenerateRequestBase). */
const KEY_REQUEST_BASE: FieldSpec = {
  ...GENERATE_REQUEST_BASE,
  key: 's?',
  budget_id: 's?',
  tags: 'a?',
  enforced_params: 'a?',
  allowed_routes: 'a?',
  allowed_passthrough_routes: 'a?',
  allowed_vector_store_indexes: 'a?',
  rpm_limit_type: 's?',
  tpm_limit_type: 's?',
  router_settings: 'o?',
  access_group_ids: 'a?',
};

/** litellm/proxy/_types.py GenerateKeyResponse(KeyRequestBase): `/key/generate`. */
const GENERATE_KEY_RESPONSE: FieldSpec = {
  ...KEY_REQUEST_BASE,
  key: 's',
  key_name: 's?',
  expires: 's?',
  user_id: 's?',
  token_id: 's?',
  organization_id: 's?',
  project_id: 's?',
  litellm_budget_table: '*',
  token: 's?',
  created_by: 's?',
  updated_by: 's?',
  created_at: 's?',
  updated_at: 's?',
};

/** litellm/proxy/_types.py LiteLLM_VerificationToken: a key row. */
const VERIFICATION_TOKEN: FieldSpec = {
  token: 's?',
  key_name: 's?',
  key_alias: 's?',
  spend: 'n',
  max_budget: 'n?',
  expires: 's?',
  models: 'a',
  aliases: 'o',
  config: 'o',
  user_id: 's?',
  team_id: 's?',
  agent_id: 's?',
  project_id: 's?',
  max_parallel_requests: 'n?',
  metadata: 'o',
  tpm_limit: 'n?',
  rpm_limit: 'n?',
  budget_duration: 's?',
  budget_reset_at: 's?',
  allowed_cache_controls: 'a?',
  allowed_routes: 'a?',
  permissions: 'o',
  model_spend: 'o',
  model_max_budget: 'o',
  soft_budget_cooldown: 'b',
  blocked: 'b?',
  litellm_budget_table: 'o?',
  created_at: 's?',
  created_by: 's?',
  updated_at: 's?',
  updated_by: 's?',
  last_active: 's?',
  object_permission_id: 's?',
  access_group_ids: 'a?',
  rotation_count: 'n?',
  auto_rotate: 'b?',
  rotation_interval: 's?',
  last_rotation_at: 's?',
  key_rotation_at: 's?',
  router_settings: 'o?',
  // `org_id` in the pydantic model is the row's `organization_id` column (the model's
  // view __init__ renames it); `/key/info` and `/user/info` return the row's name.
  organization_id: 's?',
};

/** `/key/info`: the row without `token` (litellm/proxy/management_endpoints/key_management_endpoints.py info_key_fn pops it). */
const KEY_INFO_INFO: FieldSpec = (({ token: _t, ...rest }) => ({
  ...rest,
  object_permission: 'o?',
}))(VERIFICATION_TOKEN);

/** litellm/proxy/_types.py LiteLLM_VerificationTokenView + UserAPIKeyAuth: a full `/key/list` object (`UserAPIKeyAuth(**key.dict())`). */
const USER_API_KEY_AUTH: FieldSpec = {
  ...(({ organization_id: _o, ...rest }) => rest)(VERIFICATION_TOKEN),
  org_id: 's?',
  object_permission: 'o?',
  team_spend: 'n?',
  team_alias: 's?',
  team_tpm_limit: 'n?',
  team_rpm_limit: 'n?',
  team_max_budget: 'n?',
  team_soft_budget: 'n?',
  team_models: 'a',
  team_blocked: 'b',
  soft_budget: 'n?',
  team_model_aliases: 'o?',
  team_member: 'o?',
  team_metadata: 'o?',
  team_object_permission_id: 's?',
  team_member_spend: 'n?',
  team_member_tpm_limit: 'n?',
  team_member_rpm_limit: 'n?',
  end_user_id: 's?',
  end_user_tpm_limit: 'n?',
  end_user_rpm_limit: 'n?',
  end_user_max_budget: 'n?',
  end_user_model_max_budget: 'o?',
  organization_alias: 's?',
  organization_max_budget: 'n?',
  organization_tpm_limit: 'n?',
  organization_rpm_limit: 'n?',
  organization_metadata: 'o?',
  project_alias: 's?',
  project_metadata: 'o?',
  last_refreshed_at: 'n?',
  api_key: 's?',
  user_role: 's?',
  allowed_model_region: 's?',
  parent_otel_span: '*',
  rpm_limit_per_model: 'o?',
  tpm_limit_per_model: 'o?',
  user_tpm_limit: 'n?',
  user_rpm_limit: 'n?',
  user_email: 's?',
  user_spend: 'n?',
  user_max_budget: 'n?',
  request_route: 's?',
  user: '*',
  created_by_user: '*',
  end_user_object_permission: 'o?',
  jwt_claims: 'o?',
};

/** litellm/proxy/_types.py KeyListResponseObject (TypedDict): `/key/list`. */
const KEY_LIST: FieldSpec = {
  keys: 'a',
  total_count: 'n?',
  current_page: 'n?',
  total_pages: 'n?',
};

/** litellm/proxy/_types.py LiteLLM_UserTable: `user_info` of `/user/info`. */
const USER_TABLE: FieldSpec = {
  user_id: 's',
  max_budget: 'n?',
  spend: 'n',
  model_max_budget: 'o?',
  model_spend: 'o?',
  user_email: 's?',
  user_alias: 's?',
  models: 'a',
  tpm_limit: 'n?',
  rpm_limit: 'n?',
  user_role: 's?',
  organization_memberships: 'a?',
  teams: 'a',
  sso_user_id: 's?',
  budget_duration: 's?',
  budget_reset_at: 's?',
  metadata: 'o?',
  created_at: 's?',
  updated_at: 's?',
  object_permission: 'o?',
};

/** litellm/proxy/_types.py UserInfoResponse: `/user/info`. */
const USER_INFO: FieldSpec = {
  user_id: 's?',
  user_info: 'o?',
  keys: 'a',
  teams: 'a',
};

/** litellm/proxy/_types.py NewUserResponse(GenerateKeyResponse): `/user/new`. */
const NEW_USER_RESPONSE: FieldSpec = {
  ...GENERATE_KEY_RESPONSE,
  max_budget: 'n?',
  user_email: 's?',
  user_role: 's?',
  teams: 'a?',
  user_alias: 's?',
  model_max_budget: 'o?',
  created_at: 's?',
  updated_at: 's?',
};

/** litellm/proxy/_types.py LiteLLM_TeamTable(TeamBase): `/team/new`, `team_info` of `/team/info`. */
const TEAM_TABLE: FieldSpec = {
  team_alias: 's?',
  team_id: 's',
  organization_id: 's?',
  admins: 'a',
  members: 'a',
  members_with_roles: 'a',
  team_member_permissions: 'a?',
  metadata: 'o?',
  tpm_limit: 'n?',
  rpm_limit: 'n?',
  max_budget: 'n?',
  soft_budget: 'n?',
  budget_duration: 's?',
  models: 'a',
  blocked: 'b',
  router_settings: 'o?',
  access_group_ids: 'a?',
  spend: 'n?',
  max_parallel_requests: 'n?',
  budget_reset_at: 's?',
  model_id: 'n?',
  litellm_model_table: 'o?',
  object_permission: 'o?',
  updated_at: 's?',
  created_at: 's?',
  object_permission_id: 's?',
};

/** `/team/info` (litellm/proxy/management_endpoints/team_endpoints.py team_info). */
const TEAM_INFO: FieldSpec = {
  team_id: 's',
  team_info: 'o',
  keys: 'a',
  team_memberships: 'a',
};

/**
 * litellm/types/utils.py ModelInfoBase / ModelInfo, as litellm/utils.py
 * _get_model_info_helper returns it (every field, None when unknown): `model_info` of
 * `/model/info`, merged with the deployment's `id` and `db_model`.
 */
const MODEL_INFO: FieldSpec = {
  id: 's',
  db_model: 'b',
  key: 's',
  max_tokens: 'n?',
  max_input_tokens: 'n?',
  max_output_tokens: 'n?',
  input_cost_per_token: 'n?',
  output_cost_per_token: 'n?',
  litellm_provider: 's',
  mode: 's?',
  supported_openai_params: 'a?',
  cache_creation_input_token_cost: 'n?',
  cache_read_input_token_cost: 'n?',
  input_cost_per_token_flex: 'n?',
  input_cost_per_token_priority: 'n?',
  cache_creation_input_token_cost_above_200k_tokens: 'n?',
  cache_read_input_token_cost_above_200k_tokens: 'n?',
  cache_read_input_token_cost_flex: 'n?',
  cache_read_input_token_cost_priority: 'n?',
  cache_creation_input_token_cost_above_1hr: 'n?',
  input_cost_per_character: 'n?',
  input_cost_per_token_above_128k_tokens: 'n?',
  input_cost_per_token_above_200k_tokens: 'n?',
  input_cost_per_query: 'n?',
  input_cost_per_second: 'n?',
  input_cost_per_audio_token: 'n?',
  input_cost_per_image: 'n?',
  input_cost_per_audio_per_second: 'n?',
  input_cost_per_video_per_second: 'n?',
  input_cost_per_token_batches: 'n?',
  output_cost_per_token_batches: 'n?',
  output_cost_per_token_flex: 'n?',
  output_cost_per_token_priority: 'n?',
  output_cost_per_audio_token: 'n?',
  output_cost_per_character: 'n?',
  output_cost_per_reasoning_token: 'n?',
  output_cost_per_token_above_128k_tokens: 'n?',
  output_cost_per_character_above_128k_tokens: 'n?',
  output_cost_per_token_above_200k_tokens: 'n?',
  output_cost_per_second: 'n?',
  output_cost_per_image: 'n?',
  output_vector_size: 'n?',
  citation_cost_per_token: 'n?',
  tiered_pricing: 'a?',
  supports_system_messages: 'b?',
  supports_response_schema: 'b?',
  supports_vision: 'b?',
  supports_function_calling: 'b?',
  supports_tool_choice: 'b?',
  supports_assistant_prefill: 'b?',
  supports_prompt_caching: 'b?',
  supports_audio_input: 'b?',
  supports_audio_output: 'b?',
  supports_pdf_input: 'b?',
  supports_embedding_image_input: 'b?',
  supports_native_streaming: 'b?',
  supports_web_search: 'b?',
  supports_url_context: 'b?',
  supports_reasoning: 'b?',
  supports_computer_use: 'b?',
  search_context_cost_per_query: 'o?',
  tpm: 'n?',
  rpm: 'n?',
};

/** litellm/proxy/_types.py SpendLogsPayload (the LiteLLM_SpendLogs row): `/spend/logs` rows (old shape) and `data` of `/spend/logs/ui` (new shape). */
const SPEND_LOG_ROW: FieldSpec = {
  request_id: 's',
  call_type: 's',
  api_key: 's',
  spend: 'n',
  total_tokens: 'n',
  prompt_tokens: 'n',
  completion_tokens: 'n',
  startTime: 's',
  endTime: 's',
  completionStartTime: 's?',
  model: 's',
  model_id: 's?',
  model_group: 's?',
  mcp_namespaced_tool_name: 's?',
  api_base: 's',
  user: 's',
  metadata: '*',
  cache_hit: 's',
  cache_key: 's',
  request_tags: '*',
  team_id: 's?',
  end_user: 's?',
  requester_ip_address: 's?',
  custom_llm_provider: 's?',
  messages: '*',
  response: '*',
  proxy_server_request: '*',
  session_id: 's?',
  status: 's',
};

/** `/spend/logs/ui` (litellm/proxy/spend_tracking/spend_management_endpoints.py ui_view_spend_logs). */
const SPEND_LOGS_PAGE: FieldSpec = {
  data: 'a',
  total: 'n',
  page: 'n',
  page_size: 'n',
  total_pages: 'n',
};

/** litellm/types/proxy/management_endpoints/common_daily_activity.py SpendAnalyticsPaginatedResponse. */
const DAILY_RESPONSE: FieldSpec = { results: 'a', metadata: 'o' };

/** common_daily_activity.py DailySpendMetadata. */
const DAILY_METADATA: FieldSpec = {
  total_spend: 'n',
  total_flat_cost: 'n',
  total_prompt_tokens: 'n',
  total_completion_tokens: 'n',
  total_tokens: 'n',
  total_api_requests: 'n',
  total_successful_requests: 'n',
  total_failed_requests: 'n',
  total_cache_read_input_tokens: 'n',
  total_cache_creation_input_tokens: 'n',
  total_compression_saved_tokens: 'n',
  total_compression_savings_spend: 'n',
  total_prompt_caching_savings_spend: 'n',
  total_gateway_injected_caching_savings_spend: 'n',
  total_autorouter_savings_spend: 'n',
  total_response_time_ms: 'n',
  total_timed_requests: 'n',
  page: 'n',
  total_pages: 'n',
  has_more: 'b',
  api_key_limit: 'n?',
  total_api_keys: 'n?',
};

/** common_daily_activity.py DailySpendData. */
const DAILY_DATA: FieldSpec = { date: 's', metrics: 'o', breakdown: 'o' };

/** common_daily_activity.py SpendMetrics. */
const SPEND_METRICS: FieldSpec = {
  spend: 'n',
  flat_cost: 'n',
  prompt_tokens: 'n',
  completion_tokens: 'n',
  cache_read_input_tokens: 'n',
  cache_creation_input_tokens: 'n',
  compression_saved_tokens: 'n',
  compression_savings_spend: 'n',
  prompt_caching_savings_spend: 'n',
  gateway_injected_caching_savings_spend: 'n',
  autorouter_savings_spend: 'n',
  total_tokens: 'n',
  successful_requests: 'n',
  failed_requests: 'n',
  api_requests: 'n',
  total_response_time_ms: 'n',
  timed_requests: 'n',
};

/** common_daily_activity.py BreakdownMetrics. */
const BREAKDOWN: FieldSpec = {
  mcp_servers: 'o',
  models: 'o',
  model_groups: 'o',
  providers: 'o',
  endpoints: 'o',
  api_keys: 'o',
  entities: 'o',
};

/** common_daily_activity.py KeyMetadata (`breakdown.api_keys[*].metadata`). */
const KEY_METADATA: FieldSpec = {
  key_alias: 's?',
  team_id: 's?',
  user_id: 's?',
  user_email: 's?',
  key_exists: 'b?',
};

/** Fields the emulator returns beyond a list, and why LiteLLM returns them too. */
const EXTRAS: Record<string, string[]> = {
  // generate_key_helper_fn returns the whole new row (LiteLLM_VerificationToken columns)
  // plus the request's GenerateKeyRequest fields, and GenerateKeyResponse keeps extras.
  keyGenerate: [
    'auto_rotate',
    'budget_reset_at',
    'key_type',
    'last_active',
    'last_rotation_at',
    'key_rotation_at',
    'model_spend',
    'object_permission_id',
    'rotation_count',
    'rotation_interval',
    'soft_budget',
    'soft_budget_cooldown',
  ],
  // The LiteLLM_VerificationToken table has these columns; key/info returns the row.
  keyInfo: ['budget_id', 'key_type'],
  keyList: ['budget_id', 'key_type'],
  // NewUserResponse is built from generate_key_helper_fn's dict: the key row and the
  // user row (LiteLLM_UserTable columns) together.
  userNew: [
    'auto_rotate',
    'budget_reset_at',
    'key_type',
    'last_active',
    'last_rotation_at',
    'key_rotation_at',
    'max_parallel_requests',
    'model_spend',
    'object_permission',
    'object_permission_id',
    'organization_memberships',
    'rotation_count',
    'rotation_interval',
    'soft_budget',
    'soft_budget_cooldown',
    'sso_user_id',
  ],
  // The user/team rows carry these LiteLLM_UserTable / LiteLLM_TeamTable columns.
  userInfo: ['max_parallel_requests'],
  team: ['model_spend', 'model_max_budget', 'team_member_budget_table'],
  // Columns of LiteLLM_SpendLogs that SpendLogsPayload does not name.
  spendLog: ['organization_id', 'request_duration_ms'],
};

function typeOk(value: unknown, spec: string): boolean {
  const nullable = spec.endsWith('?');
  const t = spec.replace('?', '');
  if (value === null) return nullable || t === '*';
  switch (t) {
    case '*':
      return true;
    case 's':
      return typeof value === 'string';
    case 'n':
      return typeof value === 'number';
    case 'b':
      return typeof value === 'boolean';
    case 'a':
      return Array.isArray(value);
    case 'o':
      return (
        typeof value === 'object' && value !== null && !Array.isArray(value)
      );
    default:
      throw new Error(`unknown type ${spec}`);
  }
}

/** What differs between an answer and a field list: missing fields, wrong types, unexplained extras. */
function drift(
  answer: Record<string, unknown>,
  spec: FieldSpec,
  extras: string[] = [],
): { missing: string[]; wrongType: string[]; unexpected: string[] } {
  const missing = Object.keys(spec).filter(f => !(f in answer));
  const wrongType = Object.keys(spec)
    .filter(f => f in answer && !typeOk(answer[f], spec[f]))
    .map(f => `${f}: ${JSON.stringify(answer[f])} is not ${spec[f]}`);
  const unexpected = Object.keys(answer).filter(
    f => !(f in spec) && !extras.includes(f),
  );
  return { missing, wrongType, unexpected };
}

const NO_DRIFT = { missing: [], wrongType: [], unexpected: [] };

describe('the emulator answers with the fields of LiteLLM response models', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  async function seed() {
    const user = await api(emu, 'POST', '/user/new', {
      user_id: 'u1',
      user_email: 'u1@example.com',
    });
    const team = await api(emu, 'POST', '/team/new', { team_alias: 't1' });
    const key = await mintKey(emu, {
      user_id: 'u1',
      team_id: team.body.team_id,
      key_alias: 'fidelity',
    });
    return { user, team, key };
  }

  it('key generate, update, info and list', async () => {
    const { key } = await seed();
    expect(drift(key.res, GENERATE_KEY_RESPONSE, EXTRAS.keyGenerate)).toEqual(
      NO_DRIFT,
    );

    // update_key_fn answers `{"key": <as passed>, **non_default_values}`: the changed fields only.
    const updated = await api(emu, 'POST', '/key/update', {
      key: key.token,
      max_budget: 3,
      tpm_limit: 100,
    });
    expect(updated.body).toEqual({
      key: key.token,
      max_budget: 3,
      tpm_limit: 100,
    });

    const info = await api(emu, 'GET', `/key/info?key=${key.token}`);
    expect(Object.keys(info.body).sort()).toEqual(['info', 'key']);
    expect(drift(info.body.info, KEY_INFO_INFO, EXTRAS.keyInfo)).toEqual(
      NO_DRIFT,
    );

    const list = await api(emu, 'GET', '/key/list?return_full_object=true');
    expect(drift(list.body, KEY_LIST)).toEqual(NO_DRIFT);
    expect(list.body.keys).toHaveLength(2); // the user's auto-created key and ours
    for (const row of list.body.keys) {
      expect(drift(row, USER_API_KEY_AUTH, EXTRAS.keyList)).toEqual(NO_DRIFT);
    }
  });

  it('user new and info with its keys', async () => {
    const { user } = await seed();
    expect(drift(user.body, NEW_USER_RESPONSE, EXTRAS.userNew)).toEqual(
      NO_DRIFT,
    );
    expect(user.body.key).toMatch(/^sk-/);

    const info = await api(emu, 'GET', '/user/info?user_id=u1');
    expect(drift(info.body, USER_INFO)).toEqual(NO_DRIFT);
    expect(drift(info.body.user_info, USER_TABLE, EXTRAS.userInfo)).toEqual(
      NO_DRIFT,
    );
    expect(info.body.keys).toHaveLength(2);
    for (const row of info.body.keys) {
      // user_info_fn adds the team's alias to each key row.
      expect(
        drift(row, { ...VERIFICATION_TOKEN, team_alias: 's?' }, EXTRAS.keyInfo),
      ).toEqual(NO_DRIFT);
    }
  });

  it('team new and info', async () => {
    const { team } = await seed();
    expect(drift(team.body, TEAM_TABLE, EXTRAS.team)).toEqual(NO_DRIFT);
    const info = await api(
      emu,
      'GET',
      `/team/info?team_id=${team.body.team_id}`,
    );
    expect(drift(info.body, TEAM_INFO)).toEqual(NO_DRIFT);
    expect(drift(info.body.team_info, TEAM_TABLE, EXTRAS.team)).toEqual(
      NO_DRIFT,
    );
  });

  it('model info, with cache read and cache creation prices', async () => {
    const info = await api(emu, 'GET', '/model/info');
    expect(info.body.data.length).toBeGreaterThan(5);
    for (const model of info.body.data) {
      expect(Object.keys(model).sort()).toEqual([
        'litellm_params',
        'model_info',
        'model_name',
      ]);
      expect(drift(model.model_info, MODEL_INFO)).toEqual(NO_DRIFT);
    }
    const byName = new Map<string, any>(
      info.body.data.map((m: any) => [m.model_name, m.model_info]),
    );
    // Prices from LiteLLM's model_prices_and_context_window.json.
    expect(byName.get('claude-3-5-sonnet')).toMatchObject({
      input_cost_per_token: 3e-6,
      cache_creation_input_token_cost: 3.75e-6,
      cache_read_input_token_cost: 3e-7,
    });
    expect(byName.get('gpt-4o')).toMatchObject({
      cache_creation_input_token_cost: null,
      cache_read_input_token_cost: 1.25e-6,
    });
    expect(byName.get('llama3.2:3b')).toMatchObject({
      cache_creation_input_token_cost: null,
      cache_read_input_token_cost: null,
    });
  });

  it('spend logs in their old and new shapes, and daily activity', async () => {
    const { key } = await seed();
    const models = (await api(emu, 'GET', '/model/info')).body.data;
    expect((await chat(emu, key.key, models[0].model_name)).status).toBe(200);

    // Old shape: /spend/logs without dates answers the rows themselves.
    const rows = await api(emu, 'GET', `/spend/logs?api_key=${key.token}`);
    expect(Array.isArray(rows.body)).toBe(true);
    expect(rows.body).toHaveLength(1);
    expect(drift(rows.body[0], SPEND_LOG_ROW, EXTRAS.spendLog)).toEqual(
      NO_DRIFT,
    );

    // New shape: /spend/logs/ui pages them.
    const today = new Date(emu.now()).toISOString().slice(0, 10);
    const page = await api(
      emu,
      'GET',
      `/spend/logs/ui?start_date=${encodeURIComponent(
        `${today} 00:00:00`,
      )}&end_date=${encodeURIComponent(`${today} 23:59:59`)}`,
    );
    expect(drift(page.body, SPEND_LOGS_PAGE)).toEqual(NO_DRIFT);
    expect(page.body.data).toHaveLength(1);
    expect(drift(page.body.data[0], SPEND_LOG_ROW, EXTRAS.spendLog)).toEqual(
      NO_DRIFT,
    );

    const daily = await api(
      emu,
      'GET',
      `/user/daily/activity?start_date=${today}&end_date=${today}`,
    );
    expect(drift(daily.body, DAILY_RESPONSE)).toEqual(NO_DRIFT);
    expect(drift(daily.body.metadata, DAILY_METADATA)).toEqual(NO_DRIFT);
    expect(daily.body.results).toHaveLength(1);
    const day = daily.body.results[0];
    expect(drift(day, DAILY_DATA)).toEqual(NO_DRIFT);
    expect(drift(day.metrics, SPEND_METRICS)).toEqual(NO_DRIFT);
    expect(drift(day.breakdown, BREAKDOWN)).toEqual(NO_DRIFT);
    const perKey = day.breakdown.api_keys[key.token];
    expect(drift(perKey, { metrics: 'o', metadata: 'o' })).toEqual(NO_DRIFT);
    expect(drift(perKey.metadata, KEY_METADATA)).toEqual(NO_DRIFT);
    expect(drift(perKey.metrics, SPEND_METRICS)).toEqual(NO_DRIFT);
    expect(perKey.metadata).toEqual({
      key_alias: 'fidelity',
      team_id: expect.any(String),
      user_id: 'u1',
      user_email: 'u1@example.com',
      key_exists: true,
    });
    const perModel = day.breakdown.models[models[0].model_name];
    expect(
      drift(perModel, { metrics: 'o', metadata: 'o', api_key_breakdown: 'o' }),
    ).toEqual(NO_DRIFT);
    expect(
      drift(perModel.api_key_breakdown[key.token].metadata, KEY_METADATA),
    ).toEqual(NO_DRIFT);
  });
});
