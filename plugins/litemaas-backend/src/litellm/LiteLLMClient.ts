import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { LiteLLMBudgetsClient } from './budgets';
import { LiteLLMKeysClient } from './keys';
import { LiteLLMApi } from './LiteLLMApi';
import { LiteLLMModelsClient } from './models';
import { checkConfig } from '../configChecks';
import {
  CircuitState,
  readRetryOptions,
  retryOptionsSchema,
} from './resilience';
import { LiteLLMSpendClient } from './spend';
import { LiteLLMTeamsClient } from './teams';
import {
  LiteLLMClientOptions,
  LiteLLMClientTuning,
  LiteLLMTransport,
} from './transport';
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
   * Reads `litemaas.litellm.baseUrl`, `litemaas.litellm.masterKey`,
   * `litemaas.litellm.timeoutMs` (default 10000) and `litemaas.litellm.retry` (the
   * retries of reads; see {@link LiteLLMRetryOptions} for the defaults).
   */
  static fromConfig(
    config: RootConfigService,
    deps: { logger: LoggerService },
    tuning: LiteLLMClientTuning = {},
  ): LiteLLMClient {
    const litellm = config.getConfig('litemaas.litellm');
    const timeoutMs = litellm.getOptionalNumber('timeoutMs');
    const retry = checkConfig(
      retryOptionsSchema,
      readRetryOptions(litellm),
      'litemaas.litellm.retry',
    );
    return new LiteLLMClient({
      ...tuning,
      baseUrl: litellm.getString('baseUrl'),
      masterKey: litellm.getString('masterKey'),
      timeoutMs: timeoutMs ?? tuning.timeoutMs,
      retry: { ...tuning.retry, ...retry },
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

  readonly getModelInfo: LiteLLMApi['getModelInfo'] = (...args) =>
    this.models.getModelInfo(...args);

  readonly listModels: LiteLLMApi['listModels'] = (...args) =>
    this.models.listModels(...args);

  readonly getLiveliness: LiteLLMApi['getLiveliness'] = (...args) =>
    this.models.getLiveliness(...args);

  readonly getReadiness: LiteLLMApi['getReadiness'] = (...args) =>
    this.models.getReadiness(...args);

  // keys

  readonly generateKey: LiteLLMApi['generateKey'] = (...args) =>
    this.keys.generateKey(...args);

  readonly updateKey: LiteLLMApi['updateKey'] = (...args) =>
    this.keys.updateKey(...args);

  readonly deleteKeys: LiteLLMApi['deleteKeys'] = (...args) =>
    this.keys.deleteKeys(...args);

  readonly deleteKeysByAlias: LiteLLMApi['deleteKeysByAlias'] = (...args) =>
    this.keys.deleteKeysByAlias(...args);

  readonly getKeyInfo: LiteLLMApi['getKeyInfo'] = (...args) =>
    this.keys.getKeyInfo(...args);
  readonly getKeysInfo: LiteLLMApi['getKeysInfo'] = (...args) =>
    this.keys.getKeysInfo(...args);

  readonly listKeyHashes: LiteLLMApi['listKeyHashes'] = (...args) =>
    this.keys.listKeyHashes(...args);

  readonly listKeys: LiteLLMApi['listKeys'] = (...args) =>
    this.keys.listKeys(...args);

  readonly iterateKeys: LiteLLMApi['iterateKeys'] = (...args) =>
    this.keys.iterateKeys(...args);

  readonly blockKey: LiteLLMApi['blockKey'] = (...args) =>
    this.keys.blockKey(...args);

  readonly unblockKey: LiteLLMApi['unblockKey'] = (...args) =>
    this.keys.unblockKey(...args);

  readonly regenerateKey: LiteLLMApi['regenerateKey'] = (...args) =>
    this.keys.regenerateKey(...args);

  // users

  readonly createUser: LiteLLMApi['createUser'] = (...args) =>
    this.users.createUser(...args);

  readonly getUserInfo: LiteLLMApi['getUserInfo'] = (...args) =>
    this.users.getUserInfo(...args);

  readonly updateUser: LiteLLMApi['updateUser'] = (...args) =>
    this.users.updateUser(...args);

  readonly deleteUsers: LiteLLMApi['deleteUsers'] = (...args) =>
    this.users.deleteUsers(...args);

  readonly listUsers: LiteLLMApi['listUsers'] = (...args) =>
    this.users.listUsers(...args);

  // teams

  readonly createTeam: LiteLLMApi['createTeam'] = (...args) =>
    this.teams.createTeam(...args);

  readonly getTeamInfo: LiteLLMApi['getTeamInfo'] = (...args) =>
    this.teams.getTeamInfo(...args);

  readonly updateTeam: LiteLLMApi['updateTeam'] = (...args) =>
    this.teams.updateTeam(...args);

  readonly addTeamMembers: LiteLLMApi['addTeamMembers'] = (...args) =>
    this.teams.addTeamMembers(...args);

  readonly removeTeamMember: LiteLLMApi['removeTeamMember'] = (...args) =>
    this.teams.removeTeamMember(...args);

  readonly deleteTeams: LiteLLMApi['deleteTeams'] = (...args) =>
    this.teams.deleteTeams(...args);

  readonly listTeams: LiteLLMApi['listTeams'] = (...args) =>
    this.teams.listTeams(...args);

  // budgets

  readonly createBudget: LiteLLMApi['createBudget'] = (...args) =>
    this.budgets.createBudget(...args);

  readonly getBudgets: LiteLLMApi['getBudgets'] = (...args) =>
    this.budgets.getBudgets(...args);

  readonly updateBudget: LiteLLMApi['updateBudget'] = (...args) =>
    this.budgets.updateBudget(...args);

  readonly deleteBudget: LiteLLMApi['deleteBudget'] = (...args) =>
    this.budgets.deleteBudget(...args);

  readonly listBudgets: LiteLLMApi['listBudgets'] = (...args) =>
    this.budgets.listBudgets(...args);

  // spend

  readonly getSpendLogs: LiteLLMApi['getSpendLogs'] = (...args) =>
    this.spend.getSpendLogs(...args);

  readonly getSpendLogsPage: LiteLLMApi['getSpendLogsPage'] = (...args) =>
    this.spend.getSpendLogsPage(...args);

  readonly iterateSpendLogs: LiteLLMApi['iterateSpendLogs'] = (...args) =>
    this.spend.iterateSpendLogs(...args);

  readonly getUserDailyActivityPage: LiteLLMApi['getUserDailyActivityPage'] = (
    ...args
  ) => this.spend.getUserDailyActivityPage(...args);

  readonly iterateUserDailyActivity: LiteLLMApi['iterateUserDailyActivity'] = (
    ...args
  ) => this.spend.iterateUserDailyActivity(...args);

  readonly getUserDailyActivity: LiteLLMApi['getUserDailyActivity'] = (
    ...args
  ) => this.spend.getUserDailyActivity(...args);

  readonly getTeamDailyActivityPage: LiteLLMApi['getTeamDailyActivityPage'] = (
    ...args
  ) => this.spend.getTeamDailyActivityPage(...args);

  readonly iterateTeamDailyActivity: LiteLLMApi['iterateTeamDailyActivity'] = (
    ...args
  ) => this.spend.iterateTeamDailyActivity(...args);

  readonly getTeamDailyActivity: LiteLLMApi['getTeamDailyActivity'] = (
    ...args
  ) => this.spend.getTeamDailyActivity(...args);
}
