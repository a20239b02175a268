import {
  ApiKey,
  ApiKeyStatus,
  AuditEntry,
  AuditOutcome,
  Model,
  ModelStatus,
  Subscription,
  SubscriptionHistoryEntry,
  SubscriptionStatus,
  UserLimits,
} from '@litemaas/backstage-plugin-litemaas-common';

/**
 * How engines hand back a timestamp column: PostgreSQL gives a Date, SQLite the number
 * of milliseconds the stores wrote (or a `YYYY-MM-DD HH:MM:SS` UTC text for values the
 * database itself produced).
 */
export type DbTimestamp = Date | number | string;

/** Booleans are 0/1 on SQLite. */
export type DbBoolean = boolean | number;

/** PostgreSQL returns bigint columns and counts as strings. */
export type DbNumber = number | string;

const SQLITE_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/;

export function toIso(value: DbTimestamp): string {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'number') {
    return new Date(value).toISOString();
  }
  const text = SQLITE_DATETIME.test(value)
    ? `${value.replace(' ', 'T')}Z`
    : value;
  return new Date(text).toISOString();
}

export function toIsoOrNull(value: DbTimestamp | null): string | null {
  return value === null ? null : toIso(value);
}

/** An ISO text or Date from a caller, as the Date the database binding needs. */
export function toDateOrNull(
  value: Date | string | null | undefined,
): Date | null {
  if (value === null || value === undefined) {
    return null;
  }
  return value instanceof Date ? value : new Date(value);
}

export function toNumberOrNull(value: DbNumber | null): number | null {
  return value === null ? null : Number(value);
}

function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export interface ModelRow {
  id: string;
  provider: string;
  description: string | null;
  context_length: number | null;
  input_cost_per_token: number | null;
  output_cost_per_token: number | null;
  capabilities: string;
  mode: string;
  restricted: DbBoolean;
  status: ModelStatus;
  deprecated: DbBoolean;
  replacement_model_id: string | null;
  deprecation_date: DbTimestamp | null;
  owner_group_ref: string | null;
  last_synced_at: DbTimestamp | null;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
}

export function modelFromRow(row: ModelRow): Model {
  return {
    id: row.id,
    provider: row.provider,
    description: row.description,
    contextLength: toNumberOrNull(row.context_length),
    inputCostPerToken: toNumberOrNull(row.input_cost_per_token),
    outputCostPerToken: toNumberOrNull(row.output_cost_per_token),
    capabilities: parseJson<string[]>(row.capabilities),
    mode: row.mode,
    restricted: Boolean(row.restricted),
    status: row.status,
    deprecated: Boolean(row.deprecated),
    replacementModelId: row.replacement_model_id,
    deprecationDate: toIsoOrNull(row.deprecation_date),
    ownerGroupRef: row.owner_group_ref,
    lastSyncedAt: toIsoOrNull(row.last_synced_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export interface UserRow {
  entity_ref: string;
  litellm_user_id: string | null;
  max_budget: number | null;
  budget_duration: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_keys: number | null;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
}

export function userFromRow(row: UserRow): UserLimits {
  return {
    entityRef: row.entity_ref,
    litellmUserId: row.litellm_user_id,
    maxBudget: toNumberOrNull(row.max_budget),
    budgetDuration: row.budget_duration,
    tpmLimit: toNumberOrNull(row.tpm_limit),
    rpmLimit: toNumberOrNull(row.rpm_limit),
    maxKeys: toNumberOrNull(row.max_keys),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export interface SubscriptionRow {
  id: string;
  subject_ref: string;
  model_id: string;
  status: SubscriptionStatus;
  justification: string | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: DbTimestamp | null;
  expires_at: DbTimestamp | null;
  created_by: string;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
}

export function subscriptionFromRow(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    subjectRef: row.subject_ref,
    modelId: row.model_id,
    status: row.status,
    justification: row.justification,
    reason: row.reason,
    decidedBy: row.decided_by,
    decidedAt: toIsoOrNull(row.decided_at),
    expiresAt: toIsoOrNull(row.expires_at),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export interface SubscriptionHistoryRow {
  id: DbNumber;
  subscription_id: string;
  from_status: SubscriptionStatus | null;
  to_status: SubscriptionStatus;
  actor_ref: string;
  reason: string | null;
  created_at: DbTimestamp;
}

export function historyFromRow(
  row: SubscriptionHistoryRow,
): SubscriptionHistoryEntry {
  return {
    id: Number(row.id),
    subscriptionId: row.subscription_id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    actorRef: row.actor_ref,
    reason: row.reason,
    createdAt: toIso(row.created_at),
  };
}

export interface KeyRow {
  id: string;
  owner_ref: string;
  team_ref?: string | null;
  created_by: string;
  name: string;
  litellm_key_hash: string | null;
  litellm_alias: string;
  display_name: string | null;
  max_budget: number | null;
  budget_duration: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  expires_at: DbTimestamp | null;
  metadata: string;
  status: ApiKeyStatus;
  blocked_by_admin: DbBoolean;
  rotated_from_key_id: string | null;
  rotated_at: DbTimestamp | null;
  grace_expires_at: DbTimestamp | null;
  revoked_at: DbTimestamp | null;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
}

export function keyFromRow(row: KeyRow, models: string[]): ApiKey {
  return {
    id: row.id,
    ownerRef: row.owner_ref,
    teamRef: row.team_ref ?? null,
    createdBy: row.created_by,
    name: row.name,
    litellmKeyHash: row.litellm_key_hash,
    litellmAlias: row.litellm_alias,
    displayName: row.display_name,
    models,
    maxBudget: toNumberOrNull(row.max_budget),
    budgetDuration: row.budget_duration,
    tpmLimit: toNumberOrNull(row.tpm_limit),
    rpmLimit: toNumberOrNull(row.rpm_limit),
    expiresAt: toIsoOrNull(row.expires_at),
    metadata: parseJson<Record<string, string>>(row.metadata),
    status: row.status,
    blockedByAdmin: Boolean(row.blocked_by_admin),
    rotatedFromKeyId: row.rotated_from_key_id,
    graceExpiresAt: toIsoOrNull(row.grace_expires_at),
    revokedAt: toIsoOrNull(row.revoked_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export interface AuditRow {
  id: DbNumber;
  occurred_at: DbTimestamp;
  actor_ref: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  details: string;
}

export function auditFromRow(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    occurredAt: toIso(row.occurred_at),
    actorRef: row.actor_ref,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome,
    reason: row.reason,
    details: parseJson<Record<string, unknown>>(row.details),
  };
}

/** Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, match => `\\${match}`);
}

/** Splits a list so `whereIn` stays under SQLite's bound-parameter limit. */
export function chunk<T>(items: readonly T[], size = 500): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

/** Drops the keys whose value is undefined (the fields a patch leaves alone). */
export function definedOnly(
  record: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined),
  );
}
