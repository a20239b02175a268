import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { ApiKey } from '@litemaas/backstage-plugin-litemaas-common';
import { LIVE_KEY_STATUSES } from '../database/KeyStore';
import { KEYS_INFO_BATCH, LiteLLMApi, LiteLLMKeyInfo } from '../litellm';
import { SharedCache } from '../services/SharedCache';
import { errorMessage, KeyUsage } from './types';

const SPEND_CACHE_TTL_MS = 30_000;

/**
 * A key's live spend and state, read from LiteLLM and kept ~30 s in the plugin's
 * CacheService (shared by every replica, bounded by the cache store). Whatever changes a
 * key in LiteLLM calls {@link KeyUsageReader.forget} so the next read asks again.
 */
export class KeyUsageReader {
  readonly #cache: SharedCache<KeyUsage>;

  constructor(
    private readonly litellm: LiteLLMApi,
    cache: CacheService,
    private readonly logger: LoggerService,
  ) {
    this.#cache = new SharedCache(cache, 'key-usage', SPEND_CACHE_TTL_MS);
  }

  async forget(keyId: string): Promise<void> {
    await this.#cache.delete(keyId);
  }

  async read(key: ApiKey): Promise<KeyUsage> {
    return (await this.readMany([key])).get(key.id)!;
  }

  /**
   * The usage of many keys (a key list): cached ones from the cache, the others with one
   * `POST /v2/key/info` per {@link KEYS_INFO_BATCH} keys instead of one call per key. A
   * batch LiteLLM fails to answer leaves its keys "unavailable", uncached, so the next
   * read asks again; the list itself never fails because of it.
   */
  async readMany(keys: readonly ApiKey[]): Promise<Map<string, KeyUsage>> {
    const result = new Map<string, KeyUsage>();
    const fetchedAt = new Date().toISOString();
    const unknown = (key: ApiKey): KeyUsage => ({
      available: false,
      spend: null,
      maxBudget: key.maxBudget,
      budgetUsedRatio: null,
      budgetResetAt: null,
      lastActiveAt: null,
      blockedInLiteLLM: null,
      fetchedAt,
    });
    const missing: ApiKey[] = [];
    await Promise.all(
      keys.map(async key => {
        if (!key.litellmKeyHash || !LIVE_KEY_STATUSES.includes(key.status)) {
          result.set(key.id, unknown(key));
          return;
        }
        const cached = await this.#cache.get(key.id);
        if (cached) result.set(key.id, cached);
        else missing.push(key);
      }),
    );
    for (let i = 0; i < missing.length; i += KEYS_INFO_BATCH) {
      const batch = missing.slice(i, i + KEYS_INFO_BATCH);
      let rows: LiteLLMKeyInfo[];
      try {
        rows =
          batch.length === 1
            ? [await this.litellm.getKeyInfo(batch[0].litellmKeyHash!)]
            : await this.litellm.getKeysInfo(batch.map(k => k.litellmKeyHash!));
      } catch (error) {
        this.logger.debug('Key usage unavailable from LiteLLM', {
          keys: batch.length,
          error: errorMessage(error),
        });
        for (const key of batch) result.set(key.id, unknown(key));
        continue;
      }
      const byHash = new Map(rows.map(row => [row.token, row]));
      await Promise.all(
        batch.map(async key => {
          const info = byHash.get(key.litellmKeyHash!);
          if (!info) {
            // Not in LiteLLM (yet, or any more): the reconciliation job settles it.
            result.set(key.id, unknown(key));
            return;
          }
          const usage = toUsage(key, info, fetchedAt);
          result.set(key.id, usage);
          await this.#cache.set(key.id, usage);
        }),
      );
    }
    return result;
  }
}

function toUsage(
  key: ApiKey,
  info: LiteLLMKeyInfo,
  fetchedAt: string,
): KeyUsage {
  const spend = typeof info.spend === 'number' ? info.spend : 0;
  const maxBudget =
    typeof info.max_budget === 'number' ? info.max_budget : key.maxBudget;
  return {
    available: true,
    spend,
    maxBudget,
    budgetUsedRatio: maxBudget ? spend / maxBudget : null,
    budgetResetAt: info.budget_reset_at ?? null,
    lastActiveAt:
      typeof info.last_active === 'string' ? info.last_active : null,
    blockedInLiteLLM: info.blocked === true,
    fetchedAt,
  };
}
