import { CircuitState } from './resilience';
import {
  LiteLLMBudget,
  LiteLLMBudgetRequest,
  LiteLLMDailyActivityPage,
  LiteLLMDailyActivityPageOptions,
  LiteLLMDailyActivityReport,
  LiteLLMGeneratedKey,
  LiteLLMKeyGenerateRequest,
  LiteLLMKeyInfo,
  LiteLLMKeyListPage,
  LiteLLMKeyListQuery,
  LiteLLMKeyRegenerateRequest,
  LiteLLMKeyUpdateRequest,
  LiteLLMModel,
  LiteLLMModelInfo,
  LiteLLMNewUser,
  LiteLLMReadiness,
  LiteLLMSpendLog,
  LiteLLMSpendLogsPage,
  LiteLLMSpendLogsPageQuery,
  LiteLLMSpendLogsQuery,
  LiteLLMTeam,
  LiteLLMTeamDailyActivityQuery,
  LiteLLMTeamInfo,
  LiteLLMTeamMember,
  LiteLLMTeamMemberAddResult,
  LiteLLMTeamNewRequest,
  LiteLLMTeamUpdateRequest,
  LiteLLMUserDailyActivityQuery,
  LiteLLMUserInfo,
  LiteLLMUserListPage,
  LiteLLMUserListQuery,
  LiteLLMUserNewRequest,
  LiteLLMUserUpdateRequest,
} from './types';

/**
 * What the portal backend needs from LiteLLM. Implemented by {@link LiteLLMClient}; other
 * parts of the backend should depend on this interface (easy to fake in tests).
 *
 * Key parameters accept the raw `sk-` secret or its SHA-256 hash; the client only ever
 * sends the hash.
 *
 * @public
 */
export interface LiteLLMApi {
  /** `GET /model/info`: deployments with pricing and capabilities. */
  getModelInfo(options?: { modelId?: string }): Promise<LiteLLMModelInfo[]>;
  /** `GET /v1/models`: model names callable with the master key. */
  listModels(): Promise<LiteLLMModel[]>;

  /** `POST /key/generate`. The answer holds the secret: never log or store it. */
  generateKey(request: LiteLLMKeyGenerateRequest): Promise<LiteLLMGeneratedKey>;
  /** `POST /key/update`. Answers LiteLLM's echo; use getKeyInfo for the full state. */
  updateKey(
    key: string,
    changes: LiteLLMKeyUpdateRequest,
  ): Promise<Record<string, unknown>>;
  /** `POST /key/delete` by keys (raw or hash). Throws LiteLLMNotFoundError if none exists. */
  deleteKeys(keys: string[]): Promise<{ deleted_keys: string[] }>;
  /** `POST /key/delete` by aliases. */
  deleteKeysByAlias(aliases: string[]): Promise<{ deleted_keys: string[] }>;
  /** `GET /key/info`. Throws LiteLLMNotFoundError for an unknown key. */
  getKeyInfo(key: string): Promise<LiteLLMKeyInfo>;
  /**
   * `POST /v2/key/info` (admin): the rows of the given keys (raw or hash) that exist, in
   * one call of at most 100 keys; unknown keys are left out.
   */
  getKeysInfo(keys: string[]): Promise<LiteLLMKeyInfo[]>;
  /** `GET /key/list`: one page of key hashes. */
  listKeyHashes(
    query?: LiteLLMKeyListQuery,
  ): Promise<LiteLLMKeyListPage<string>>;
  /** `GET /key/list?return_full_object=true`: one page of key rows. */
  listKeys(
    query?: LiteLLMKeyListQuery,
  ): Promise<LiteLLMKeyListPage<LiteLLMKeyInfo>>;
  /** Walks all pages of `GET /key/list?return_full_object=true`. */
  iterateKeys(
    query?: Omit<LiteLLMKeyListQuery, 'page'>,
  ): AsyncGenerator<LiteLLMKeyInfo>;
  /** `POST /key/block`. */
  blockKey(key: string): Promise<LiteLLMKeyInfo>;
  /** `POST /key/unblock`. */
  unblockKey(key: string): Promise<LiteLLMKeyInfo>;
  /**
   * `POST /key/{key}/regenerate`: new secret and new hash, settings kept. Without an
   * enterprise license LiteLLM answers 500 → LiteLLMEnterpriseFeatureError (never retried);
   * the caller may then fall back to generate + delete.
   */
  regenerateKey(
    key: string,
    options?: LiteLLMKeyRegenerateRequest,
  ): Promise<LiteLLMGeneratedKey>;

  /** `POST /user/new` (`auto_create_key` defaults to false). */
  createUser(request: LiteLLMUserNewRequest): Promise<LiteLLMNewUser>;
  /** `GET /user/info`. `undefined` for an unknown user (404 on new LiteLLM, empty 200 on old). */
  getUserInfo(userId: string): Promise<LiteLLMUserInfo | undefined>;
  /** `POST /user/update`. */
  updateUser(
    userId: string,
    changes: LiteLLMUserUpdateRequest,
  ): Promise<{ user_id: string; data: Record<string, unknown> }>;
  /** `POST /user/delete` (LiteLLM also deletes their keys and memberships). */
  deleteUsers(userIds: string[]): Promise<void>;
  /** `GET /user/list`: one page. */
  listUsers(query?: LiteLLMUserListQuery): Promise<LiteLLMUserListPage>;

  /** `POST /team/new`. */
  createTeam(request: LiteLLMTeamNewRequest): Promise<LiteLLMTeam>;
  /** `GET /team/info`. Throws LiteLLMNotFoundError for an unknown team. */
  getTeamInfo(teamId: string): Promise<LiteLLMTeamInfo>;
  /** `POST /team/update`. */
  updateTeam(
    teamId: string,
    changes: LiteLLMTeamUpdateRequest,
  ): Promise<{ team_id: string; data: LiteLLMTeam }>;
  /** `POST /team/member_add` (unknown users are created by LiteLLM). */
  addTeamMembers(
    teamId: string,
    members: LiteLLMTeamMember | LiteLLMTeamMember[],
    options?: { maxBudgetInTeam?: number },
  ): Promise<LiteLLMTeamMemberAddResult>;
  /** `POST /team/member_delete`. */
  removeTeamMember(
    teamId: string,
    member: { user_id: string } | { user_email: string },
  ): Promise<LiteLLMTeam>;
  /** `POST /team/delete` (LiteLLM also deletes the teams' keys). */
  deleteTeams(teamIds: string[]): Promise<{ deleted_teams: string[] }>;
  /** `GET /team/list`. */
  listTeams(query?: {
    user_id?: string;
    organization_id?: string;
  }): Promise<LiteLLMTeam[]>;

  /** `POST /budget/new`. */
  createBudget(request: LiteLLMBudgetRequest): Promise<LiteLLMBudget>;
  /** `POST /budget/info` (a read: retried). Unknown ids are simply absent. */
  getBudgets(budgetIds: string[]): Promise<LiteLLMBudget[]>;
  /** `POST /budget/update`. */
  updateBudget(
    budgetId: string,
    changes: Omit<LiteLLMBudgetRequest, 'budget_id'>,
  ): Promise<LiteLLMBudget>;
  /** `POST /budget/delete`. */
  deleteBudget(budgetId: string): Promise<void>;
  /** `GET /budget/list`. */
  listBudgets(): Promise<LiteLLMBudget[]>;

  /** Legacy `GET /spend/logs` (unpaged: always filter by key/user and dates). */
  getSpendLogs(query: LiteLLMSpendLogsQuery): Promise<LiteLLMSpendLog[]>;
  /** `GET /spend/logs/ui`: one page of SpendLogs rows. */
  getSpendLogsPage(
    query: LiteLLMSpendLogsPageQuery,
  ): Promise<LiteLLMSpendLogsPage>;
  /** Walks all pages of `GET /spend/logs/ui`. */
  iterateSpendLogs(
    query: Omit<LiteLLMSpendLogsPageQuery, 'page'>,
  ): AsyncGenerator<LiteLLMSpendLog>;

  /** `GET /user/daily/activity`: one page. */
  getUserDailyActivityPage(
    query: LiteLLMUserDailyActivityQuery,
    options?: LiteLLMDailyActivityPageOptions,
  ): Promise<LiteLLMDailyActivityPage>;
  /** Walks the pages of `GET /user/daily/activity` from `query.page` (default 1). */
  iterateUserDailyActivity(
    query: LiteLLMUserDailyActivityQuery,
  ): AsyncGenerator<LiteLLMDailyActivityPage>;
  /** All pages of `GET /user/daily/activity`, merged per date, with totals. */
  getUserDailyActivity(
    query: Omit<LiteLLMUserDailyActivityQuery, 'page'>,
  ): Promise<LiteLLMDailyActivityReport>;
  /** `GET /team/daily/activity`: one page. */
  getTeamDailyActivityPage(
    query: LiteLLMTeamDailyActivityQuery,
    options?: LiteLLMDailyActivityPageOptions,
  ): Promise<LiteLLMDailyActivityPage>;
  /** Walks the pages of `GET /team/daily/activity`. */
  iterateTeamDailyActivity(
    query: LiteLLMTeamDailyActivityQuery,
  ): AsyncGenerator<LiteLLMDailyActivityPage>;
  /** All pages of `GET /team/daily/activity`, merged per date, with totals. */
  getTeamDailyActivity(
    query: Omit<LiteLLMTeamDailyActivityQuery, 'page'>,
  ): Promise<LiteLLMDailyActivityReport>;

  /** `GET /health/liveliness`; throws LiteLLMUnavailableError when down. */
  getLiveliness(): Promise<string>;
  /** `GET /health/readiness`; throws LiteLLMUnavailableError when not ready (503). */
  getReadiness(): Promise<LiteLLMReadiness>;
  /** State of the circuit breaker, for health reporting. */
  readonly circuitState: CircuitState;
}
