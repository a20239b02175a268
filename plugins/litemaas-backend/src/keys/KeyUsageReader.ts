import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { ApiKey } from '@litemaas/backstage-plugin-litemaas-common';
import { LIVE_KEY_STATUSES } from '../database/KeyStore';
import { LiteLLMApi, LiteLLMKeyInfo } from '../litellm';
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
    const cached = await this.#cache.get(key.id);
    if (cached) return cached;
    const nowMs = Date.now();
    const unknown: KeyUsage = {
      available: false,
      spend: null,
      maxBudget: key.maxBudget,
      budgetUsedRatio: null,
      budgetResetAt: null,
      lastActiveAt: null,
      blockedInLiteLLM: null,
      fetchedAt: new Date(nowMs).toISOString(),
    };
    if (!key.litellmKeyHash || !LIVE_KEY_STATUSES.includes(key.status)) {
      return unknown;
    }
    let info: LiteLLMKeyInfo;
    try {
      info = await this.litellm.getKeyInfo(key.litellmKeyHash);
    } catch (error) {
      this.logger.debug('Key usage unavailable from LiteLLM', {
        keyId: key.id,
        error: errorMessage(error),
      });
      return unknown; // not cached: the next request asks again
    }
    const spend = typeof info.spend === 'number' ? info.spend : 0;
    const maxBudget =
      typeof info.max_budget === 'number' ? info.max_budget : key.maxBudget;
    const usage: KeyUsage = {
      available: true,
      spend,
      maxBudget,
      budgetUsedRatio: maxBudget ? spend / maxBudget : null,
      budgetResetAt: info.budget_reset_at ?? null,
      lastActiveAt:
        typeof info.last_active === 'string' ? info.last_active : null,
      blockedInLiteLLM: info.blocked === true,
      fetchedAt: new Date(nowMs).toISOString(),
    };
    await this.#cache.set(key.id, usage);
    return usage;
  }
}
