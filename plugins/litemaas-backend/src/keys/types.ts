import {
  ApiKey,
  ApiKeyStatus,
  CreatedApiKey,
} from '@litemaas/backstage-plugin-litemaas-common';
import { KeySnippets } from './keySnippets';

/**
 * Whose subscriptions and team govern a key's models: its team (the owner group of a
 * component's or system's key), else its owner.
 */
export function keySubject(key: Pick<ApiKey, 'ownerRef' | 'teamRef'>): string {
  return key.teamRef ?? key.ownerRef;
}

/** `managed_by` of every LiteLLM key this plugin mints. */
export const KEY_MANAGED_BY = 'litemaas-backstage';
/** A pending key older than this is a crashed or stuck creation. */
export const PENDING_TIMEOUT_MS = 5 * 60_000;

/** The answer to a key creation or rotation: the secret, once, with snippets. */
export interface CreatedKeyResponse extends CreatedApiKey {
  snippets: KeySnippets;
  /** On rotation: what happened to the key rotated out. */
  previousKey?: Pick<ApiKey, 'id' | 'status' | 'graceExpiresAt'>;
}

/** Live usage of a key, read from LiteLLM (cached ~30 s). */
export interface KeyUsage {
  /** False when LiteLLM could not be asked: the numbers are unknown. */
  available: boolean;
  spend: number | null;
  maxBudget: number | null;
  /** spend / maxBudget, when both are known. */
  budgetUsedRatio: number | null;
  budgetResetAt: string | null;
  lastActiveAt: string | null;
  blockedInLiteLLM: boolean | null;
  fetchedAt: string;
}

export interface KeyWithUsage extends ApiKey {
  usage: KeyUsage;
}

/** One hit of an admin lookup of a leaked key. */
export interface KeyLookupMatch {
  /** The LiteMaaS key, when the portal manages it. */
  key?: ApiKey;
  managed: boolean;
  ownerRef: string | null;
  createdBy: string | null;
  models: string[];
  status: ApiKeyStatus | 'unmanaged';
  litellm: {
    found: boolean;
    alias: string | null;
    userId: string | null;
    teamId: string | null;
    blocked: boolean | null;
    spend: number | null;
    lastActiveAt: string | null;
  } | null;
}

export interface KeyReconcileReport {
  pendingSettled: number;
  pendingLeft: number;
  orphansDeleted: number;
  missingMarked: number;
  expiredMarked: number;
  driftFixed: number;
  /** Keys narrowed or blocked because their owner lost a model. */
  accessNarrowed: number;
  /** Keys whose failed rotation had kept them claimed: they can be rotated again. */
  rotationsReleased: number;
  errors: number;
  /** Managed LiteLLM keys seen (before deletions). */
  litellmKeysSeen: number;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
