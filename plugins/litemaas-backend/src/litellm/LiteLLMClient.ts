import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { LiteLLMBudgetsClient } from './budgets';
import { LiteLLMKeysClient } from './keys';
import { LiteLLMApi } from './LiteLLMApi';
import { LiteLLMModelsClient } from './models';
import { CircuitState } from './resilience';
import { LiteLLMSpendClient } from './spend';
import { LiteLLMTeamsClient } from './teams';
import {
  LiteLLMClientOptions,
  LiteLLMClientTuning,
  LiteLLMTransport,
} from './transport';
import {
  LiteLLMBudget,
  LiteLLMBudgetRequest,
  LiteLLMDailyActivityPage,
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
import { LiteLLMUsersClient } from './users';

export type { LiteLLMApi } from './LiteLLMApi';
export type { LiteLLMRetryOptions } from './resilience';
export {
  LITELLM_CLIENT_DEFAULTS,
  type LiteLLMClientOptions,
  type LiteLLMClientTuning,
} from './transport';

/**
 * Typed, fault-tolerant client of the LiteLLM proxy management API.
 *
 * - every attempt has a timeout (`timeoutMs`);
 * - idempotent reads (GET, and the POST reads `/budget/info`) are retried on
 *   LiteLLMUnavailableError with exponential backoff and jitter; writes never are;
 * - a circuit breaker fails fast with LiteLLMUnavailableError after consecutive failures
 *   and lets one trial call through after the cool-down;
 * - errors are typed (see errors.ts) and never carry a key secret; nothing logged contains
 *   a request body, a header or a secret.
 *
 * The work is done per LiteLLM area (models.ts, keys.ts, users.ts, teams.ts, budgets.ts,
 * spend.ts) over one transport (transport.ts, resilience.ts); this class is their single
 * entry point.
 *
 * @public
 */
export class LiteLLMClient implements LiteLLMApi {
  private readonly transport: LiteLLMTransport;
  private readonly models: LiteLLMModelsClient;
  private readonly keys: LiteLLMKeysClient;
  private readonly users: LiteLLMUsersClient;
  private readonly teams: LiteLLMTeamsClient;
  private readonly budgets: LiteLLMBudgetsClient;
  private readonly spend: LiteLLMSpendClient;

  /**
   * Reads `litemaas.litellm.baseUrl`, `litemaas.litellm.masterKey` and
   * `litemaas.litellm.timeoutMs` (default 10000).
   */
  static fromConfig(
    config: RootConfigService,
    deps: { logger: LoggerService },
    tuning: LiteLLMClientTuning = {},
  ): LiteLLMClient {
    const litellm = config.getConfig('litemaas.litellm');
    const timeoutMs = litellm.getOptionalNumber('timeoutMs');
    return new LiteLLMClient({
      ...tuning,
      baseUrl: litellm.getString('baseUrl'),
      masterKey: litellm.getString('masterKey'),
      timeoutMs: timeoutMs ?? tuning.timeoutMs,
      logger: deps.logger,
    });
  }

  constructor(options: LiteLLMClientOptions) {
    this.transport = new LiteLLMTransport(options);
    this.models = new LiteLLMModelsClient(this.transport);
    this.keys = new LiteLLMKeysClient(this.transport);
    this.users = new LiteLLMUsersClient(this.transport);
    this.teams = new LiteLLMTeamsClient(this.transport);
    this.budgets = new LiteLLMBudgetsClient(this.transport);
    this.spend = new LiteLLMSpendClient(this.transport);
  }

  get circuitState(): CircuitState {
    return this.transport.circuitState;
  }

  // models

  getModelInfo(
    options: { modelId?: string } = {},
  ): Promise<LiteLLMModelInfo[]> {
    return this.models.getModelInfo(options);
  }

  listModels(): Promise<LiteLLMModel[]> {
    return this.models.listModels();
  }

  getLiveliness(): Promise<string> {
    return this.models.getLiveliness();
  }

  getReadiness(): Promise<LiteLLMReadiness> {
    return this.models.getReadiness();
  }

  // keys

  generateKey(
    request: LiteLLMKeyGenerateRequest,
  ): Promise<LiteLLMGeneratedKey> {
    return this.keys.generateKey(request);
  }

  updateKey(
    key: string,
    changes: LiteLLMKeyUpdateRequest,
  ): Promise<Record<string, unknown>> {
    return this.keys.updateKey(key, changes);
  }

  deleteKeys(keys: string[]): Promise<{ deleted_keys: string[] }> {
    return this.keys.deleteKeys(keys);
  }

  deleteKeysByAlias(aliases: string[]): Promise<{ deleted_keys: string[] }> {
    return this.keys.deleteKeysByAlias(aliases);
  }

  getKeyInfo(key: string): Promise<LiteLLMKeyInfo> {
    return this.keys.getKeyInfo(key);
  }

  listKeyHashes(
    query: LiteLLMKeyListQuery = {},
  ): Promise<LiteLLMKeyListPage<string>> {
    return this.keys.listKeyHashes(query);
  }

  listKeys(
    query: LiteLLMKeyListQuery = {},
  ): Promise<LiteLLMKeyListPage<LiteLLMKeyInfo>> {
    return this.keys.listKeys(query);
  }

  iterateKeys(
    query: Omit<LiteLLMKeyListQuery, 'page'> = {},
  ): AsyncGenerator<LiteLLMKeyInfo> {
    return this.keys.iterateKeys(query);
  }

  blockKey(key: string): Promise<LiteLLMKeyInfo> {
    return this.keys.blockKey(key);
  }

  unblockKey(key: string): Promise<LiteLLMKeyInfo> {
    return this.keys.unblockKey(key);
  }

  regenerateKey(
    key: string,
    options: LiteLLMKeyRegenerateRequest = {},
  ): Promise<LiteLLMGeneratedKey> {
    return this.keys.regenerateKey(key, options);
  }

  // users

  createUser(request: LiteLLMUserNewRequest): Promise<LiteLLMNewUser> {
    return this.users.createUser(request);
  }

  getUserInfo(userId: string): Promise<LiteLLMUserInfo | undefined> {
    return this.users.getUserInfo(userId);
  }

  updateUser(
    userId: string,
    changes: LiteLLMUserUpdateRequest,
  ): Promise<{ user_id: string; data: Record<string, unknown> }> {
    return this.users.updateUser(userId, changes);
  }

  deleteUsers(userIds: string[]): Promise<void> {
    return this.users.deleteUsers(userIds);
  }

  listUsers(query: LiteLLMUserListQuery = {}): Promise<LiteLLMUserListPage> {
    return this.users.listUsers(query);
  }

  // teams

  createTeam(request: LiteLLMTeamNewRequest): Promise<LiteLLMTeam> {
    return this.teams.createTeam(request);
  }

  getTeamInfo(teamId: string): Promise<LiteLLMTeamInfo> {
    return this.teams.getTeamInfo(teamId);
  }

  updateTeam(
    teamId: string,
    changes: LiteLLMTeamUpdateRequest,
  ): Promise<{ team_id: string; data: LiteLLMTeam }> {
    return this.teams.updateTeam(teamId, changes);
  }

  addTeamMembers(
    teamId: string,
    members: LiteLLMTeamMember | LiteLLMTeamMember[],
    options: { maxBudgetInTeam?: number } = {},
  ): Promise<LiteLLMTeamMemberAddResult> {
    return this.teams.addTeamMembers(teamId, members, options);
  }

  removeTeamMember(
    teamId: string,
    member: { user_id: string } | { user_email: string },
  ): Promise<LiteLLMTeam> {
    return this.teams.removeTeamMember(teamId, member);
  }

  deleteTeams(teamIds: string[]): Promise<{ deleted_teams: string[] }> {
    return this.teams.deleteTeams(teamIds);
  }

  listTeams(
    query: { user_id?: string; organization_id?: string } = {},
  ): Promise<LiteLLMTeam[]> {
    return this.teams.listTeams(query);
  }

  // budgets

  createBudget(request: LiteLLMBudgetRequest): Promise<LiteLLMBudget> {
    return this.budgets.createBudget(request);
  }

  getBudgets(budgetIds: string[]): Promise<LiteLLMBudget[]> {
    return this.budgets.getBudgets(budgetIds);
  }

  updateBudget(
    budgetId: string,
    changes: Omit<LiteLLMBudgetRequest, 'budget_id'>,
  ): Promise<LiteLLMBudget> {
    return this.budgets.updateBudget(budgetId, changes);
  }

  deleteBudget(budgetId: string): Promise<void> {
    return this.budgets.deleteBudget(budgetId);
  }

  listBudgets(): Promise<LiteLLMBudget[]> {
    return this.budgets.listBudgets();
  }

  // spend

  getSpendLogs(query: LiteLLMSpendLogsQuery): Promise<LiteLLMSpendLog[]> {
    return this.spend.getSpendLogs(query);
  }

  getSpendLogsPage(
    query: LiteLLMSpendLogsPageQuery,
  ): Promise<LiteLLMSpendLogsPage> {
    return this.spend.getSpendLogsPage(query);
  }

  iterateSpendLogs(
    query: Omit<LiteLLMSpendLogsPageQuery, 'page'>,
  ): AsyncGenerator<LiteLLMSpendLog> {
    return this.spend.iterateSpendLogs(query);
  }

  getUserDailyActivityPage(
    query: LiteLLMUserDailyActivityQuery,
  ): Promise<LiteLLMDailyActivityPage> {
    return this.spend.getUserDailyActivityPage(query);
  }

  iterateUserDailyActivity(
    query: LiteLLMUserDailyActivityQuery,
  ): AsyncGenerator<LiteLLMDailyActivityPage> {
    return this.spend.iterateUserDailyActivity(query);
  }

  getUserDailyActivity(
    query: Omit<LiteLLMUserDailyActivityQuery, 'page'>,
  ): Promise<LiteLLMDailyActivityReport> {
    return this.spend.getUserDailyActivity(query);
  }

  getTeamDailyActivityPage(
    query: LiteLLMTeamDailyActivityQuery,
  ): Promise<LiteLLMDailyActivityPage> {
    return this.spend.getTeamDailyActivityPage(query);
  }

  iterateTeamDailyActivity(
    query: LiteLLMTeamDailyActivityQuery,
  ): AsyncGenerator<LiteLLMDailyActivityPage> {
    return this.spend.iterateTeamDailyActivity(query);
  }

  getTeamDailyActivity(
    query: Omit<LiteLLMTeamDailyActivityQuery, 'page'>,
  ): Promise<LiteLLMDailyActivityReport> {
    return this.spend.getTeamDailyActivity(query);
  }
}
