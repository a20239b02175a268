import type {
  ApiKey,
  ApproveSubscriptionRequest,
  CreatedApiKey,
  DenySubscriptionRequest,
  LiteMaaSApiQuery,
  LiteMaaSApiResponse,
  CreateKeyRequest,
  CreateSubscriptionRequest,
  HealthResponse,
  ListModelsQuery,
  ListModelsResponse,
  ModelDetails,
  RevealedSecret,
  RotateKeyRequest,
  Subscription,
  Team,
  UpdateKeyRequest,
  ApiKeyStatus,
  UsageGroupBy,
  UsageReport,
} from '@litemaas/backstage-plugin-litemaas-common';

/** Limits of self-service keys as `GET /config` gives them. @public */
export interface KeyLimitSettings {
  maxBudget?: number;
  budgetDuration?: string;
  tpmLimit?: number;
  rpmLimit?: number;
  /** Days until a new key expires. */
  expiresInDays?: number;
}

/** Answer of `GET /config`: what the UI needs to show and enforce limits inline. @public */
export interface LiteMaaSConfig {
  /** The OpenAI-compatible base URL key holders call. */
  publicBaseUrl: string;
  currency: string;
  keyDefaults: KeyLimitSettings;
  keyMaximums: KeyLimitSettings & { keysPerOwner?: number };
  /** The shortest and longest budget period a key may have (`1d`, `30d`, ...). */
  keyBudgetPeriods: { min: string; max: string };
  rotationMaxGraceSeconds: number;
}

/** Live usage of a key (from LiteLLM, cached by the backend for ~30 s). @public */
export interface KeyUsage {
  /** False when LiteLLM could not be asked: the numbers are unknown. */
  available: boolean;
  spend: number | null;
  maxBudget: number | null;
  budgetUsedRatio: number | null;
  budgetResetAt: string | null;
  lastActiveAt: string | null;
  blockedInLiteLLM: boolean | null;
  fetchedAt: string;
}

/** Answer of `GET /keys/:id`. @public */
export type KeyWithUsage = ApiKey & { usage: KeyUsage };
/** A key of `GET /keys`; with `include=usage`, with its live usage. @public */
export type ListedKey = ApiKey & { usage?: KeyUsage };

/** Ready-to-paste snippets the backend returns with a new secret. @public */
export interface KeySnippets {
  env: string;
  curl: string;
  python: string;
  javascript: string;
}

/**
 * The answer to a key creation or rotation: the only place a secret ever appears. The
 * UI hands it to the one-time secret modal and drops it.
 *
 * @public
 */
export type CreatedKey = CreatedApiKey & {
  snippets?: KeySnippets;
  previousKey?: Pick<ApiKey, 'id' | 'status' | 'graceExpiresAt'>;
};

/**
 * A question to `GET /usage` (my usage and my teams'); without dates, the last 30 days.
 *
 * @public
 */
export interface UsageRequest {
  groupBy: UsageGroupBy;
  team?: string;
  entity?: string;
  model?: string;
  from?: string;
  to?: string;
}

/** Filters and cursor of `GET /admin/audit`. @public */
export type AuditQuery = LiteMaaSApiQuery<'listAuditEntries'>;
/** One page of the audit trail, with the cursor of the next. @public */
export type AuditEntriesPage = LiteMaaSApiResponse<'listAuditEntries', 200>;

/** A list answer of the backend. @public */
export interface ListResponse<T> {
  items: T[];
  total?: number;
}

/**
 * Everything the LiteMaaS frontend asks of the backend. Components reach it through the
 * hooks in this folder, never directly; the implementation can change (e.g. to a client
 * generated from the OpenAPI contract) without touching a component.
 *
 * @public
 */
export interface LiteMaaSApi {
  getHealth(): Promise<HealthResponse>;
  getConfig(): Promise<LiteMaaSConfig>;

  listModels(query?: ListModelsQuery): Promise<ListModelsResponse>;
  getModel(id: string): Promise<ModelDetails>;

  listSubscriptions(): Promise<ListResponse<Subscription>>;
  createSubscription(request: CreateSubscriptionRequest): Promise<Subscription>;
  cancelSubscription(id: string): Promise<Subscription>;
  /** Requests an approver may decide: admins see all, owner groups their models'. */
  listSubscriptionsForDecision(
    query?: LiteMaaSApiQuery<'listSubscriptionsForDecision'>,
  ): Promise<ListResponse<Subscription>>;
  approveSubscription(
    id: string,
    request?: ApproveSubscriptionRequest,
  ): Promise<Subscription>;
  denySubscription(
    id: string,
    request: DenySubscriptionRequest,
  ): Promise<Subscription>;

  listKeys(query?: {
    status?: readonly ApiKeyStatus[];
    include?: 'usage';
  }): Promise<ListResponse<ListedKey>>;
  getKey(id: string): Promise<KeyWithUsage>;
  createKey(request: Omit<CreateKeyRequest, 'deliver'>): Promise<CreatedKey>;
  updateKey(id: string, patch: UpdateKeyRequest): Promise<ApiKey>;
  rotateKey(id: string, request: RotateKeyRequest): Promise<CreatedKey>;
  revokeKey(id: string): Promise<ApiKey>;

  listTeams(): Promise<ListResponse<Team>>;
  getTeam(ref: string): Promise<Team>;

  getUsage(request: UsageRequest): Promise<UsageReport>;

  /** One page of the audit trail, newest first (`litemaas.audit.read`). */
  listAuditEntries(query?: AuditQuery): Promise<AuditEntriesPage>;

  revealSecret(token: string): Promise<RevealedSecret>;
}
