import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { z } from 'zod/v3';
import {
  CircuitBreaker,
  CircuitBreakerOptions,
  CircuitState,
  DEFAULT_CIRCUIT_BREAKER,
  isCircuitRejection,
} from './CircuitBreaker';
import {
  mergeDailyActivityPages,
  normalizeDailyActivityPage,
} from './dailyActivity';
import {
  createLiteLLMError,
  LiteLLMAuthError,
  LiteLLMEnterpriseFeatureError,
  LiteLLMError,
  LiteLLMInvalidResponseError,
  LiteLLMNotFoundError,
  LiteLLMUnavailableError,
} from './errors';
import { hashLiteLLMKey, redactSecrets, toLiteLLMKeyId } from './redact';
import {
  budgetRowSchema,
  dailyActivityPageSchema,
  generatedKeySchema,
  keyInfoEnvelopeSchema,
  keyListSchema,
  keyRowSchema,
  modelInfoListSchema,
  modelListSchema,
  spendLogsPageSchema,
  teamInfoSchema,
  teamListSchema,
  teamRowSchema,
  userInfoSchema,
  userListSchema,
  userRowSchema,
} from './schemas';
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
  LiteLLMTeamMembership,
  LiteLLMTeamNewRequest,
  LiteLLMTeamUpdateRequest,
  LiteLLMUser,
  LiteLLMUserDailyActivityQuery,
  LiteLLMUserInfo,
  LiteLLMUserListPage,
  LiteLLMUserListQuery,
  LiteLLMUserNewRequest,
  LiteLLMUserUpdateRequest,
} from './types';

/** Retry policy for idempotent reads. @public */
export interface LiteLLMRetryOptions {
  /** Attempts in total, first one included. Default 3. 1 disables retries. */
  maxAttempts?: number;
  /** Backoff before the 2nd attempt; doubles each time. Default 250 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff. Default 4000 ms. */
  maxDelayMs?: number;
}

/** Options of {@link LiteLLMClient}. @public */
export interface LiteLLMClientOptions {
  /** Base URL of the proxy, e.g. `http://litellm:4000` (a path prefix is kept). */
  baseUrl: string;
  /** Master key (or an admin virtual key). Never logged. */
  masterKey: string;
  logger: LoggerService;
  /** Timeout of one attempt, in ms. Default 10000. */
  timeoutMs?: number;
  retry?: LiteLLMRetryOptions;
  circuitBreaker?: CircuitBreakerOptions;
  /** Clock of the circuit breaker (epoch ms); injectable for tests. */
  now?: () => number;
  /** Waits between retries; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1); injectable for tests. */
  random?: () => number;
  /** Safety cap of pages walked by the iterators. Default 1000. */
  maxPages?: number;
}

/** The optional, non-connection part of {@link LiteLLMClientOptions}. @public */
export type LiteLLMClientTuning = Omit<
  LiteLLMClientOptions,
  'baseUrl' | 'masterKey' | 'logger'
>;

/** Defaults of the client's fault tolerance. @public */
export const LITELLM_CLIENT_DEFAULTS = {
  timeoutMs: 10_000,
  retry: { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4_000 },
  circuitBreaker: DEFAULT_CIRCUIT_BREAKER,
  maxPages: 1_000,
} as const;

type QueryValue =
  | string
  | number
  | boolean
  | ReadonlyArray<string>
  | null
  | undefined;

interface CallSpec {
  method: 'GET' | 'POST';
  /** Route label for logs and errors; never contains a key or a query string. */
  route: string;
  /** Real path (segments already encoded). Defaults to `route`. */
  path?: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Whether the call may be retried. Defaults to true for GET, false for POST. */
  idempotent?: boolean;
}

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

function defaultSleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireNonEmpty(value: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`LiteLLM client: ${what} must be a non-empty string`);
  }
  return value;
}

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
 * @public
 */
export class LiteLLMClient implements LiteLLMApi {
  private readonly baseUrl: string;
  private readonly masterKey: string;
  private readonly logger: LoggerService;
  private readonly timeoutMs: number;
  private readonly retry: Required<LiteLLMRetryOptions>;
  private readonly breaker: CircuitBreaker;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxPages: number;

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
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError(
        'litemaas.litellm.baseUrl must be an absolute http(s) URL',
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(
        'litemaas.litellm.baseUrl must be an absolute http(s) URL',
      );
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.masterKey = requireNonEmpty(
      options.masterKey,
      'litemaas.litellm.masterKey',
    );
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? LITELLM_CLIENT_DEFAULTS.timeoutMs;
    if (!(this.timeoutMs > 0)) {
      throw new TypeError(
        'litemaas.litellm.timeoutMs must be a positive number',
      );
    }
    this.retry = {
      maxAttempts: Math.max(
        1,
        options.retry?.maxAttempts ?? LITELLM_CLIENT_DEFAULTS.retry.maxAttempts,
      ),
      baseDelayMs:
        options.retry?.baseDelayMs ?? LITELLM_CLIENT_DEFAULTS.retry.baseDelayMs,
      maxDelayMs:
        options.retry?.maxDelayMs ?? LITELLM_CLIENT_DEFAULTS.retry.maxDelayMs,
    };
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.maxPages = options.maxPages ?? LITELLM_CLIENT_DEFAULTS.maxPages;
    this.breaker = new CircuitBreaker(
      options.circuitBreaker,
      options.now ?? Date.now,
      (from, to, failures) => {
        const meta = { from, to, consecutiveFailures: failures };
        if (to === 'open') {
          this.logger.warn('LiteLLM circuit breaker opened', meta);
        } else {
          this.logger.info(`LiteLLM circuit breaker ${to}`, meta);
        }
      },
    );
  }

  get circuitState(): CircuitState {
    return this.breaker.state;
  }

  // ------------------------------------------------------------------ models, health

  async getModelInfo(
    options: { modelId?: string } = {},
  ): Promise<LiteLLMModelInfo[]> {
    const body = await this.call({
      method: 'GET',
      route: '/model/info',
      query: { litellm_model_id: options.modelId },
    });
    return this.parse(modelInfoListSchema, body, 'GET', '/model/info')
      .data as LiteLLMModelInfo[];
  }

  async listModels(): Promise<LiteLLMModel[]> {
    const body = await this.call({ method: 'GET', route: '/v1/models' });
    return this.parse(modelListSchema, body, 'GET', '/v1/models')
      .data as LiteLLMModel[];
  }

  async getLiveliness(): Promise<string> {
    const body = await this.call({
      method: 'GET',
      route: '/health/liveliness',
    });
    return typeof body === 'string' ? body : JSON.stringify(body);
  }

  async getReadiness(): Promise<LiteLLMReadiness> {
    const body = await this.call({ method: 'GET', route: '/health/readiness' });
    return isRecord(body)
      ? (body as LiteLLMReadiness)
      : { status: String(body) };
  }

  // ------------------------------------------------------------------ keys

  async generateKey(
    request: LiteLLMKeyGenerateRequest,
  ): Promise<LiteLLMGeneratedKey> {
    const body = await this.call({
      method: 'POST',
      route: '/key/generate',
      body: request,
    });
    return this.toGeneratedKey(body, '/key/generate');
  }

  async updateKey(
    key: string,
    changes: LiteLLMKeyUpdateRequest,
  ): Promise<Record<string, unknown>> {
    const body = await this.call({
      method: 'POST',
      route: '/key/update',
      body: { ...changes, key: this.keyId(key) },
    });
    return isRecord(body) ? body : {};
  }

  async deleteKeys(keys: string[]): Promise<{ deleted_keys: string[] }> {
    if (keys.length === 0) return { deleted_keys: [] };
    const body = await this.call({
      method: 'POST',
      route: '/key/delete',
      body: { keys: keys.map(k => this.keyId(k)) },
    });
    return { deleted_keys: this.stringList(body, 'deleted_keys') };
  }

  async deleteKeysByAlias(
    aliases: string[],
  ): Promise<{ deleted_keys: string[] }> {
    if (aliases.length === 0) return { deleted_keys: [] };
    const body = await this.call({
      method: 'POST',
      route: '/key/delete',
      body: { key_aliases: aliases },
    });
    return { deleted_keys: this.stringList(body, 'deleted_keys') };
  }

  async getKeyInfo(key: string): Promise<LiteLLMKeyInfo> {
    const keyId = this.keyId(key);
    const body = await this.call({
      method: 'GET',
      route: '/key/info',
      query: { key: keyId },
    });
    const envelope = this.parse(
      keyInfoEnvelopeSchema,
      body,
      'GET',
      '/key/info',
    );
    let row: unknown = envelope;
    if ('info' in envelope) {
      row = Array.isArray(envelope.info) ? envelope.info[0] : envelope.info;
    }
    if (!isRecord(row)) {
      throw new LiteLLMNotFoundError({
        method: 'GET',
        path: '/key/info',
        status: 200,
        detail: 'LiteLLM returned no key row',
      });
    }
    return this.toKeyInfo(row, keyId, '/key/info');
  }

  async listKeyHashes(
    query: LiteLLMKeyListQuery = {},
  ): Promise<LiteLLMKeyListPage<string>> {
    const page = await this.keyListPage(query, false);
    return {
      ...page,
      keys: page.keys.map(k =>
        typeof k === 'string' ? k : String((k as LiteLLMKeyInfo).token),
      ),
    };
  }

  async listKeys(
    query: LiteLLMKeyListQuery = {},
  ): Promise<LiteLLMKeyListPage<LiteLLMKeyInfo>> {
    const page = await this.keyListPage(query, true);
    return {
      ...page,
      keys: page.keys.map(k =>
        typeof k === 'string'
          ? { token: k }
          : this.toKeyInfo(
              k as Record<string, unknown>,
              undefined,
              '/key/list',
            ),
      ),
    };
  }

  async *iterateKeys(
    query: Omit<LiteLLMKeyListQuery, 'page'> = {},
  ): AsyncGenerator<LiteLLMKeyInfo> {
    for (let page = 1; page <= this.maxPages; page++) {
      const result = await this.listKeys({ ...query, page });
      yield* result.keys;
      if (result.keys.length === 0 || page >= result.total_pages) return;
    }
    this.warnPageCap('/key/list');
  }

  async blockKey(key: string): Promise<LiteLLMKeyInfo> {
    return this.blockOrUnblock('/key/block', key);
  }

  async unblockKey(key: string): Promise<LiteLLMKeyInfo> {
    return this.blockOrUnblock('/key/unblock', key);
  }

  async regenerateKey(
    key: string,
    options: LiteLLMKeyRegenerateRequest = {},
  ): Promise<LiteLLMGeneratedKey> {
    const keyId = this.keyId(key);
    try {
      const body = await this.call({
        method: 'POST',
        route: '/key/{key}/regenerate',
        path: `/key/${encodeURIComponent(keyId)}/regenerate`,
        body: options,
      });
      return this.toGeneratedKey(body, '/key/{key}/regenerate');
    } catch (error) {
      if (error instanceof LiteLLMEnterpriseFeatureError) {
        this.logger.info(
          'LiteLLM refused key regeneration (enterprise feature); callers may fall back to generate + delete',
          {
            method: 'POST',
            path: '/key/{key}/regenerate',
            status: error.status,
          },
        );
      }
      throw error;
    }
  }

  // ------------------------------------------------------------------ users

  async createUser(request: LiteLLMUserNewRequest): Promise<LiteLLMNewUser> {
    const body = await this.call({
      method: 'POST',
      route: '/user/new',
      body: { auto_create_key: false, ...request },
    });
    return this.parse(
      userRowSchema,
      body,
      'POST',
      '/user/new',
    ) as LiteLLMNewUser;
  }

  async getUserInfo(userId: string): Promise<LiteLLMUserInfo | undefined> {
    // Never call /user/info without user_id: with the master key it lists everything.
    requireNonEmpty(userId, 'userId');
    let body: unknown;
    try {
      body = await this.call({
        method: 'GET',
        route: '/user/info',
        query: { user_id: userId },
      });
    } catch (error) {
      if (error instanceof LiteLLMNotFoundError) return undefined;
      throw error;
    }
    const parsed = this.parse(userInfoSchema, body, 'GET', '/user/info');
    const info = parsed.user_info;
    // Old LiteLLM answers an unknown user with 200 {user_info: {spend: 0}} (no user_id).
    if (!info || typeof info.user_id !== 'string' || info.user_id === '') {
      return undefined;
    }
    return {
      ...parsed,
      user_id: parsed.user_id ?? info.user_id,
      user_info: info as LiteLLMUser,
      keys: (parsed.keys ?? []).map(k =>
        this.toKeyInfo(k, undefined, '/user/info'),
      ),
      teams: (parsed.teams ?? []) as LiteLLMTeam[],
    };
  }

  async updateUser(
    userId: string,
    changes: LiteLLMUserUpdateRequest,
  ): Promise<{ user_id: string; data: Record<string, unknown> }> {
    requireNonEmpty(userId, 'userId');
    const body = await this.call({
      method: 'POST',
      route: '/user/update',
      body: { ...changes, user_id: userId },
    });
    const record = isRecord(body) ? body : {};
    return {
      ...record,
      user_id: typeof record.user_id === 'string' ? record.user_id : userId,
      data: isRecord(record.data) ? record.data : {},
    };
  }

  async deleteUsers(userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.call({
      method: 'POST',
      route: '/user/delete',
      body: { user_ids: userIds },
    });
  }

  async listUsers(
    query: LiteLLMUserListQuery = {},
  ): Promise<LiteLLMUserListPage> {
    const body = await this.call({
      method: 'GET',
      route: '/user/list',
      query: { ...query },
    });
    const parsed = this.parse(userListSchema, body, 'GET', '/user/list');
    const page = parsed.page ?? query.page ?? 1;
    return {
      ...parsed,
      users: parsed.users as LiteLLMUser[],
      total: parsed.total ?? parsed.users.length,
      page,
      page_size: parsed.page_size ?? query.page_size ?? parsed.users.length,
      total_pages: parsed.total_pages ?? page,
    };
  }

  // ------------------------------------------------------------------ teams

  async createTeam(request: LiteLLMTeamNewRequest): Promise<LiteLLMTeam> {
    const body = await this.call({
      method: 'POST',
      route: '/team/new',
      body: request,
    });
    return this.parse(teamRowSchema, body, 'POST', '/team/new') as LiteLLMTeam;
  }

  async getTeamInfo(teamId: string): Promise<LiteLLMTeamInfo> {
    requireNonEmpty(teamId, 'teamId');
    const body = await this.call({
      method: 'GET',
      route: '/team/info',
      query: { team_id: teamId },
    });
    const parsed = this.parse(teamInfoSchema, body, 'GET', '/team/info');
    return {
      ...parsed,
      team_id: parsed.team_id ?? parsed.team_info.team_id,
      team_info: parsed.team_info as LiteLLMTeam,
      keys: (parsed.keys ?? []).map(k =>
        this.toKeyInfo(k, undefined, '/team/info'),
      ),
      team_memberships: (parsed.team_memberships ??
        []) as LiteLLMTeamMembership[],
    };
  }

  async updateTeam(
    teamId: string,
    changes: LiteLLMTeamUpdateRequest,
  ): Promise<{ team_id: string; data: LiteLLMTeam }> {
    requireNonEmpty(teamId, 'teamId');
    const body = await this.call({
      method: 'POST',
      route: '/team/update',
      body: { ...changes, team_id: teamId },
    });
    const record = isRecord(body) ? body : {};
    const data = isRecord(record.data) ? record.data : record;
    return {
      ...record,
      team_id: teamId,
      data: { ...data, team_id: teamId } as LiteLLMTeam,
    };
  }

  async addTeamMembers(
    teamId: string,
    members: LiteLLMTeamMember | LiteLLMTeamMember[],
    options: { maxBudgetInTeam?: number } = {},
  ): Promise<LiteLLMTeamMemberAddResult> {
    requireNonEmpty(teamId, 'teamId');
    const body = await this.call({
      method: 'POST',
      route: '/team/member_add',
      body: {
        team_id: teamId,
        member: members,
        max_budget_in_team: options.maxBudgetInTeam,
      },
    });
    const record = isRecord(body) ? body : {};
    return { ...record, team_id: teamId } as LiteLLMTeamMemberAddResult;
  }

  async removeTeamMember(
    teamId: string,
    member: { user_id: string } | { user_email: string },
  ): Promise<LiteLLMTeam> {
    requireNonEmpty(teamId, 'teamId');
    const body = await this.call({
      method: 'POST',
      route: '/team/member_delete',
      body: { ...member, team_id: teamId },
    });
    const record = isRecord(body) ? body : {};
    return { ...record, team_id: teamId } as LiteLLMTeam;
  }

  async deleteTeams(teamIds: string[]): Promise<{ deleted_teams: string[] }> {
    if (teamIds.length === 0) return { deleted_teams: [] };
    const body = await this.call({
      method: 'POST',
      route: '/team/delete',
      body: { team_ids: teamIds },
    });
    const deleted = this.stringList(body, 'deleted_teams');
    return { deleted_teams: deleted.length > 0 ? deleted : teamIds };
  }

  async listTeams(
    query: { user_id?: string; organization_id?: string } = {},
  ): Promise<LiteLLMTeam[]> {
    const body = await this.call({
      method: 'GET',
      route: '/team/list',
      query: { ...query },
    });
    const parsed = this.parse(teamListSchema, body, 'GET', '/team/list');
    return (Array.isArray(parsed) ? parsed : parsed.teams) as LiteLLMTeam[];
  }

  // ------------------------------------------------------------------ budgets

  async createBudget(request: LiteLLMBudgetRequest): Promise<LiteLLMBudget> {
    const body = await this.call({
      method: 'POST',
      route: '/budget/new',
      body: request,
    });
    return this.parse(
      budgetRowSchema,
      body,
      'POST',
      '/budget/new',
    ) as LiteLLMBudget;
  }

  async getBudgets(budgetIds: string[]): Promise<LiteLLMBudget[]> {
    if (budgetIds.length === 0) return [];
    const body = await this.call({
      method: 'POST',
      route: '/budget/info',
      body: { budgets: budgetIds },
      idempotent: true,
    });
    return this.parse(
      z.array(budgetRowSchema),
      body,
      'POST',
      '/budget/info',
    ) as LiteLLMBudget[];
  }

  async updateBudget(
    budgetId: string,
    changes: Omit<LiteLLMBudgetRequest, 'budget_id'>,
  ): Promise<LiteLLMBudget> {
    requireNonEmpty(budgetId, 'budgetId');
    const body = await this.call({
      method: 'POST',
      route: '/budget/update',
      body: { ...changes, budget_id: budgetId },
    });
    const record = isRecord(body) ? body : {};
    return { ...record, budget_id: budgetId } as LiteLLMBudget;
  }

  async deleteBudget(budgetId: string): Promise<void> {
    requireNonEmpty(budgetId, 'budgetId');
    await this.call({
      method: 'POST',
      route: '/budget/delete',
      body: { id: budgetId },
    });
  }

  async listBudgets(): Promise<LiteLLMBudget[]> {
    const body = await this.call({ method: 'GET', route: '/budget/list' });
    return this.parse(
      z.array(budgetRowSchema),
      body,
      'GET',
      '/budget/list',
    ) as LiteLLMBudget[];
  }

  // ------------------------------------------------------------------ spend and usage

  async getSpendLogs(query: LiteLLMSpendLogsQuery): Promise<LiteLLMSpendLog[]> {
    const body = await this.call({
      method: 'GET',
      route: '/spend/logs',
      query: { ...query, api_key: this.optionalKeyId(query.api_key) },
    });
    return this.parse(
      z.array(z.record(z.unknown())),
      body,
      'GET',
      '/spend/logs',
    ) as LiteLLMSpendLog[];
  }

  async getSpendLogsPage(
    query: LiteLLMSpendLogsPageQuery,
  ): Promise<LiteLLMSpendLogsPage> {
    const body = await this.call({
      method: 'GET',
      route: '/spend/logs/ui',
      query: { ...query, api_key: this.optionalKeyId(query.api_key) },
    });
    const parsed = this.parse(
      spendLogsPageSchema,
      body,
      'GET',
      '/spend/logs/ui',
    );
    const page = parsed.page ?? query.page ?? 1;
    return {
      ...parsed,
      data: parsed.data as LiteLLMSpendLog[],
      total: parsed.total ?? undefined,
      page_size: parsed.page_size ?? query.page_size,
      page,
      total_pages: parsed.total_pages ?? page,
    };
  }

  async *iterateSpendLogs(
    query: Omit<LiteLLMSpendLogsPageQuery, 'page'>,
  ): AsyncGenerator<LiteLLMSpendLog> {
    for (let page = 1; page <= this.maxPages; page++) {
      const result = await this.getSpendLogsPage({ ...query, page });
      yield* result.data;
      if (result.data.length === 0 || page >= result.total_pages) return;
    }
    this.warnPageCap('/spend/logs/ui');
  }

  async getUserDailyActivityPage(
    query: LiteLLMUserDailyActivityQuery,
  ): Promise<LiteLLMDailyActivityPage> {
    return this.dailyActivityPage('/user/daily/activity', {
      ...query,
      api_key: this.optionalKeyId(query.api_key),
    });
  }

  iterateUserDailyActivity(
    query: LiteLLMUserDailyActivityQuery,
  ): AsyncGenerator<LiteLLMDailyActivityPage> {
    return this.walkDailyActivity('/user/daily/activity', {
      ...query,
      api_key: this.optionalKeyId(query.api_key),
    });
  }

  async getUserDailyActivity(
    query: Omit<LiteLLMUserDailyActivityQuery, 'page'>,
  ): Promise<LiteLLMDailyActivityReport> {
    return this.collectDailyActivity(this.iterateUserDailyActivity(query));
  }

  async getTeamDailyActivityPage(
    query: LiteLLMTeamDailyActivityQuery,
  ): Promise<LiteLLMDailyActivityPage> {
    return this.dailyActivityPage('/team/daily/activity', {
      ...query,
      api_key: this.optionalKeyId(query.api_key),
    });
  }

  iterateTeamDailyActivity(
    query: LiteLLMTeamDailyActivityQuery,
  ): AsyncGenerator<LiteLLMDailyActivityPage> {
    return this.walkDailyActivity('/team/daily/activity', {
      ...query,
      api_key: this.optionalKeyId(query.api_key),
    });
  }

  async getTeamDailyActivity(
    query: Omit<LiteLLMTeamDailyActivityQuery, 'page'>,
  ): Promise<LiteLLMDailyActivityReport> {
    return this.collectDailyActivity(this.iterateTeamDailyActivity(query));
  }

  // ------------------------------------------------------------------ internals: shapes

  private keyId(key: string): string {
    return toLiteLLMKeyId(requireNonEmpty(key, 'key'));
  }

  private optionalKeyId(key: string | undefined): string | undefined {
    return key ? toLiteLLMKeyId(key) : undefined;
  }

  private async keyListPage(
    query: LiteLLMKeyListQuery,
    fullObjects: boolean,
  ): Promise<LiteLLMKeyListPage<unknown>> {
    const body = await this.call({
      method: 'GET',
      route: '/key/list',
      query: { ...query, return_full_object: fullObjects || undefined },
    });
    const parsed = this.parse(keyListSchema, body, 'GET', '/key/list');
    const page = parsed.current_page ?? query.page ?? 1;
    return {
      ...parsed,
      keys: parsed.keys,
      total_count: parsed.total_count ?? parsed.keys.length,
      current_page: page,
      total_pages: parsed.total_pages ?? page,
    };
  }

  private async blockOrUnblock(
    route: '/key/block' | '/key/unblock',
    key: string,
  ): Promise<LiteLLMKeyInfo> {
    const keyId = this.keyId(key);
    const body = await this.call({
      method: 'POST',
      route,
      body: { key: keyId },
    });
    return this.toKeyInfo(isRecord(body) ? body : {}, keyId, route);
  }

  private toGeneratedKey(body: unknown, route: string): LiteLLMGeneratedKey {
    const parsed = this.parse(generatedKeySchema, body, 'POST', route);
    const isHash = (v: unknown): v is string =>
      typeof v === 'string' && v !== '' && !v.startsWith('sk-');
    let token: string;
    if (isHash(parsed.token_id)) token = parsed.token_id;
    else if (isHash(parsed.token)) token = parsed.token;
    else token = hashLiteLLMKey(parsed.key);
    return { ...parsed, token } as LiteLLMGeneratedKey;
  }

  /** Fills `token` (LiteLLM strips it from /key/info) and drops any raw secret echoed back. */
  private toKeyInfo(
    row: Record<string, unknown>,
    knownKeyId: string | undefined,
    route: string,
  ): LiteLLMKeyInfo {
    const parsed = this.parse(keyRowSchema, row, 'GET', route);
    const token =
      (typeof parsed.token === 'string' && !parsed.token.startsWith('sk-')
        ? parsed.token
        : undefined) ??
      (typeof parsed.token === 'string'
        ? hashLiteLLMKey(parsed.token)
        : undefined) ??
      knownKeyId ??
      '';
    return { ...parsed, token } as LiteLLMKeyInfo;
  }

  private stringList(body: unknown, field: string): string[] {
    if (isRecord(body) && Array.isArray(body[field])) {
      return (body[field] as unknown[]).map(String);
    }
    return [];
  }

  private async dailyActivityPage(
    route: string,
    query: Record<string, QueryValue>,
  ): Promise<LiteLLMDailyActivityPage> {
    const body = await this.call({ method: 'GET', route, query });
    const parsed = this.parse(dailyActivityPageSchema, body, 'GET', route);
    return normalizeDailyActivityPage(
      parsed as { results: Record<string, unknown>[]; metadata?: null },
      typeof query.page === 'number' ? query.page : 1,
    );
  }

  private async *walkDailyActivity(
    route: string,
    query: Record<string, QueryValue>,
  ): AsyncGenerator<LiteLLMDailyActivityPage> {
    const first = typeof query.page === 'number' ? query.page : 1;
    for (let page = first; page < first + this.maxPages; page++) {
      const result = await this.dailyActivityPage(route, { ...query, page });
      yield result;
      const { has_more: hasMore, total_pages: totalPages } = result.metadata;
      if (!hasMore || page >= totalPages || result.results.length === 0) {
        return;
      }
    }
    this.warnPageCap(route);
  }

  private async collectDailyActivity(
    pages: AsyncGenerator<LiteLLMDailyActivityPage>,
  ): Promise<LiteLLMDailyActivityReport> {
    const all: LiteLLMDailyActivityPage[] = [];
    for await (const page of pages) all.push(page);
    return mergeDailyActivityPages(all);
  }

  private warnPageCap(route: string) {
    this.logger.warn('LiteLLM paging stopped at the page cap', {
      path: route,
      maxPages: this.maxPages,
    });
  }

  private parse<S extends z.ZodTypeAny>(
    schema: S,
    value: unknown,
    method: string,
    route: string,
  ): z.infer<S> {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issues = result.error.issues
      .slice(0, 3)
      .map(i => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    const error = new LiteLLMInvalidResponseError({
      method,
      path: route,
      status: 200,
      litellmType: 'invalid_response',
      detail: this.redact(`unexpected response shape (${issues})`),
    });
    this.logger.warn('LiteLLM answered an unexpected shape', {
      method,
      path: route,
      error: error.detail,
    });
    throw error;
  }

  // ------------------------------------------------------------------ internals: transport

  private redact(text: string): string {
    return redactSecrets(text, [this.masterKey]);
  }

  private buildUrl(spec: CallSpec): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value === undefined || value === null) continue;
      params.set(
        name,
        Array.isArray(value) ? value.join(',') : String(value as unknown),
      );
    }
    const qs = params.toString();
    return `${this.baseUrl}${spec.path ?? spec.route}${qs ? `?${qs}` : ''}`;
  }

  /** Makes the call with retries (idempotent calls only) and returns the decoded body. */
  private async call(spec: CallSpec): Promise<unknown> {
    const idempotent = spec.idempotent ?? spec.method === 'GET';
    const maxAttempts = idempotent ? this.retry.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(spec, attempt);
      } catch (error) {
        const retryable =
          error instanceof LiteLLMUnavailableError &&
          error.reason !== 'circuit-open';
        if (!retryable || attempt >= maxAttempts) throw error;
        const delayMs = this.backoff(attempt);
        this.logger.info('Retrying LiteLLM call', {
          method: spec.method,
          path: spec.route,
          attempt,
          nextAttempt: attempt + 1,
          delayMs,
          reason: error.reason,
        });
        await this.sleep(delayMs);
      }
    }
  }

  /** Exponential backoff with "equal jitter": half fixed, half random. */
  private backoff(attempt: number): number {
    const exp = Math.min(
      this.retry.maxDelayMs,
      this.retry.baseDelayMs * 2 ** (attempt - 1),
    );
    return Math.round(exp / 2 + (this.random() * exp) / 2);
  }

  private async attempt(spec: CallSpec, attempt: number): Promise<unknown> {
    const permit = this.breaker.acquire();
    const meta = { method: spec.method, path: spec.route, attempt };
    if (isCircuitRejection(permit)) {
      const error = new LiteLLMUnavailableError(
        {
          method: spec.method,
          path: spec.route,
          reason: 'circuit-open',
          detail: `circuit breaker ${permit.state} after ${permit.consecutiveFailures} consecutive failures`,
        },
        `LiteLLM ${spec.method} ${
          spec.route
        } not attempted: the circuit breaker is ${permit.state} after ${
          permit.consecutiveFailures
        } consecutive failures (next trial at ${new Date(
          permit.retryAt,
        ).toISOString()})`,
      );
      this.logger.debug('LiteLLM call refused by the circuit breaker', {
        ...meta,
        circuitState: permit.state,
      });
      throw error;
    }

    const started = Date.now();
    const signal = AbortSignal.timeout(this.timeoutMs);
    let status: number | undefined;
    let text: string;
    try {
      const response = await fetch(this.buildUrl(spec), {
        method: spec.method,
        headers: {
          Authorization: `Bearer ${this.masterKey}`,
          Accept: 'application/json',
          ...(spec.body !== undefined
            ? { 'Content-Type': 'application/json' }
            : {}),
        },
        body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (cause) {
      permit.failure();
      const error = this.transportError(spec, cause, status, signal.aborted);
      this.logger.warn('LiteLLM call failed', {
        ...meta,
        status,
        durationMs: Date.now() - started,
        reason: error.reason,
        error: error.message,
      });
      throw error;
    }
    const durationMs = Date.now() - started;

    if (status >= 200 && status < 300) {
      permit.success();
      this.logger.debug('LiteLLM call', { ...meta, status, durationMs });
      return this.decode(text);
    }

    const error = createLiteLLMError(status, text, {
      method: spec.method,
      path: spec.route,
      secrets: [this.masterKey],
    });
    if (error instanceof LiteLLMUnavailableError) permit.failure();
    else permit.success(); // LiteLLM answered: it is up
    const failureMeta = {
      ...meta,
      status,
      durationMs,
      errorName: error.name,
      litellmType: error.litellmType,
      error: error.message,
    };
    if (
      error instanceof LiteLLMUnavailableError ||
      error instanceof LiteLLMAuthError ||
      error instanceof LiteLLMInvalidResponseError ||
      !(error instanceof LiteLLMError) ||
      error.constructor === LiteLLMError
    ) {
      this.logger.warn('LiteLLM call failed', failureMeta);
    } else {
      this.logger.debug('LiteLLM call rejected', failureMeta);
    }
    throw error;
  }

  private transportError(
    spec: CallSpec,
    cause: unknown,
    status: number | undefined,
    timedOut: boolean,
  ): LiteLLMUnavailableError {
    // DOMException is not always `instanceof Error` (other realm): check the name by shape.
    const name = (cause as { name?: unknown } | undefined)?.name;
    const isTimeout =
      timedOut || name === 'TimeoutError' || name === 'AbortError';
    const base = {
      method: spec.method,
      path: spec.route,
      status,
      cause,
    };
    if (isTimeout) {
      return new LiteLLMUnavailableError(
        {
          ...base,
          reason: 'timeout',
          detail: `timed out after ${this.timeoutMs} ms`,
        },
        `LiteLLM ${spec.method} ${spec.route} timed out after ${this.timeoutMs} ms`,
      );
    }
    const inner =
      cause instanceof Error && cause.cause instanceof Error
        ? (cause.cause as NodeJS.ErrnoException).code ?? cause.cause.message
        : undefined;
    const description = this.redact(
      [cause instanceof Error ? cause.message : String(cause), inner]
        .filter(Boolean)
        .join(': '),
    );
    return new LiteLLMUnavailableError(
      { ...base, reason: 'network', detail: description },
      `LiteLLM ${spec.method} ${spec.route} is unreachable (${description})`,
    );
  }

  private decode(text: string): unknown {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
}
