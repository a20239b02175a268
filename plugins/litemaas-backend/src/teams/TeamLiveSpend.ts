import { CacheService } from '@backstage/backend-plugin-api';
import { StoredTeam } from '../database/TeamStore';
import { LiteLLMApi, LiteLLMError } from '../litellm';
import { SharedCache } from '../services/SharedCache';

const LIVE_TTL_MS = 30_000;

/** A team's spend and budget reset as LiteLLM reports them; null while LiteLLM is away. */
export interface LiveTeam {
  spend: number | null;
  budgetResetAt: string | null;
}

/** Teams' live spend from LiteLLM, kept a short while in the shared cache. */
export class TeamLiveSpend {
  readonly #cache: SharedCache<LiveTeam>;

  constructor(cache: CacheService, private readonly litellm: LiteLLMApi) {
    this.#cache = new SharedCache(cache, 'team-live', LIVE_TTL_MS);
  }

  async of(team: StoredTeam): Promise<LiveTeam> {
    const cached = await this.#cache.get(team.ref);
    if (cached) return cached;
    let live: LiveTeam = { spend: null, budgetResetAt: null };
    try {
      const info = await this.litellm.getTeamInfo(team.litellmTeamId);
      live = {
        spend:
          typeof info.team_info.spend === 'number' ? info.team_info.spend : 0,
        budgetResetAt: info.team_info.budget_reset_at ?? null,
      };
      await this.#cache.set(team.ref, live);
    } catch (error) {
      if (!(error instanceof LiteLLMError)) throw error;
    }
    return live;
  }

  /** Drops the cached numbers (the team's budget changed). */
  async forget(ref: string): Promise<void> {
    await this.#cache.delete(ref);
  }
}
