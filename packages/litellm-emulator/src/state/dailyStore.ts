import type { DailyRow } from '../types';

/**
 * Daily rollups (LiteLLM_DailyUserSpend / LiteLLM_DailyTeamSpend): one aggregated row per
 * (entity, date, api_key, model, provider, endpoint). Bounded by distinct combinations, not requests.
 */
export class DailyStore {
  readonly rows = new Map<string, DailyRow>();
  /** Bumped on every change, so a cached query result knows when it went stale. */
  version = 0;
  #query?: { id: string; version: number; rows: DailyRow[] };

  clear(): void {
    this.rows.clear();
    this.version++;
  }

  /**
   * The rows `filter` selects, newest date first, remembered for the next page of the
   * same query (`id`) while nothing changed: LiteLLM answers each page from an indexed
   * query, so a walk over many pages must not rescan every row per page here either.
   */
  select(id: string, filter: (r: DailyRow) => boolean): DailyRow[] {
    if (this.#query?.id === id && this.#query.version === this.version) {
      return this.#query.rows;
    }
    const rows: DailyRow[] = [];
    for (const r of this.rows.values()) if (filter(r)) rows.push(r);
    rows.sort((a, b) => Number(a.date < b.date) - Number(a.date > b.date));
    this.#query = { id, version: this.version, rows };
    return rows;
  }

  get size(): number {
    return this.rows.size;
  }

  add(
    entity: string | null,
    date: string,
    apiKey: string,
    model: string,
    provider: string | null,
    endpoint: string,
    promptTokens: number,
    completionTokens: number,
    spend: number,
    successful: number,
    failed: number,
  ): void {
    const id = `${
      entity ?? ''
    }\u0001${date}\u0001${apiKey}\u0001${model}\u0001${
      provider ?? ''
    }\u0001${endpoint}`;
    this.version++;
    let row = this.rows.get(id);
    if (!row) {
      row = {
        entity,
        date,
        api_key: apiKey,
        model,
        model_group: model,
        custom_llm_provider: provider,
        endpoint,
        prompt_tokens: 0,
        completion_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
        spend: 0,
        api_requests: 0,
        successful_requests: 0,
        failed_requests: 0,
      };
      this.rows.set(id, row);
    }
    row.prompt_tokens += promptTokens;
    row.completion_tokens += completionTokens;
    row.spend += spend;
    row.api_requests += successful + failed;
    row.successful_requests += successful;
    row.failed_requests += failed;
  }
}
