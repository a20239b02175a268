import { LiteLLMDailyActivityDay, LiteLLMDailyMetrics } from '../litellm';

const EPSILON = 1e-9;

export interface Cell {
  date: string;
  hash: string;
  model: string;
  ok: number;
  failed: number;
  prompt: number;
  completion: number;
  spend: number;
}

export interface KeyMeta {
  alias?: string;
  userId?: string;
  teamId?: string;
}

function counters(m: LiteLLMDailyMetrics) {
  const ok = m.successful_requests ?? 0;
  const failed = m.failed_requests ?? 0;
  const requests = m.api_requests ?? ok + failed;
  return {
    // Older LiteLLM versions count api_requests without the success split.
    ok: ok + Math.max(0, requests - ok - failed),
    failed,
    prompt: m.prompt_tokens ?? 0,
    completion: m.completion_tokens ?? 0,
    spend: m.spend ?? 0,
  };
}

type Counters = ReturnType<typeof counters>;

function sub(a: Counters, b: Counters): Counters {
  return {
    ok: a.ok - b.ok,
    failed: a.failed - b.failed,
    prompt: a.prompt - b.prompt,
    completion: a.completion - b.completion,
    spend: a.spend - b.spend,
  };
}

function isZero(c: Counters): boolean {
  return (
    c.ok === 0 &&
    c.failed === 0 &&
    c.prompt === 0 &&
    c.completion === 0 &&
    Math.abs(c.spend) < EPSILON
  );
}

const ZERO: Counters = { ok: 0, failed: 0, prompt: 0, completion: 0, spend: 0 };

/**
 * Accumulates LiteLLM daily activity into (date, key hash, model) cells. Every counter of
 * a day lands in exactly one cell: key × model from `breakdown.models[].api_key_breakdown`,
 * and whatever LiteLLM reports without a key (or without a model) in the "unattributed"
 * cell of that model (hash '') or day (model ''), so totals always equal LiteLLM's.
 */
export class DailyActivityAccumulator {
  readonly cells = new Map<string, Cell>();
  readonly keyMeta = new Map<string, KeyMeta>();

  #cell(date: string, hash: string, model: string): Cell {
    const id = `${date}\u0001${hash}\u0001${model}`;
    let cell = this.cells.get(id);
    if (!cell) {
      cell = {
        date,
        hash,
        model,
        ok: 0,
        failed: 0,
        prompt: 0,
        completion: 0,
        spend: 0,
      };
      this.cells.set(id, cell);
    }
    return cell;
  }

  #add(date: string, hash: string, model: string, c: Counters) {
    const cell = this.#cell(date, hash, model);
    cell.ok += c.ok;
    cell.failed += c.failed;
    cell.prompt += c.prompt;
    cell.completion += c.completion;
    cell.spend += c.spend;
  }

  has(date: string, hash: string, model: string): boolean {
    return this.cells.has(`${date}\u0001${hash}\u0001${model}`);
  }

  addDay(
    day: LiteLLMDailyActivityDay,
    only?: (hash: string, model: string) => boolean,
  ) {
    const date = day.date.slice(0, 10);
    for (const [hash, entry] of Object.entries(day.breakdown.api_keys ?? {})) {
      const meta = entry.metadata ?? {};
      const known = this.keyMeta.get(hash) ?? {};
      this.keyMeta.set(hash, {
        alias: (meta.key_alias as string | undefined) ?? known.alias,
        userId: (meta.user_id as string | undefined) ?? known.userId,
        teamId: (meta.team_id as string | undefined) ?? known.teamId,
      });
    }
    let byModels = ZERO;
    for (const [model, entry] of Object.entries(day.breakdown.models ?? {})) {
      const total = counters(entry.metrics);
      byModels = addC(byModels, total);
      let byKeys = ZERO;
      for (const [hash, k] of Object.entries(entry.api_key_breakdown ?? {})) {
        const c = counters(k.metrics);
        byKeys = addC(byKeys, c);
        const meta = k.metadata ?? {};
        if (meta.key_alias && !this.keyMeta.get(hash)?.alias) {
          this.keyMeta.set(hash, {
            ...this.keyMeta.get(hash),
            alias: meta.key_alias as string,
            teamId: (meta.team_id as string | undefined) ?? undefined,
          });
        }
        if (!only || only(hash, model)) this.#add(date, hash, model, c);
      }
      const rest = sub(total, byKeys);
      if (!isZero(rest) && (!only || only('', model)))
        this.#add(date, '', model, rest);
    }
    const rest = sub(counters(day.metrics), byModels);
    if (!isZero(rest) && (!only || only('', ''))) this.#add(date, '', '', rest);
  }
}

function addC(a: Counters, b: Counters): Counters {
  return {
    ok: a.ok + b.ok,
    failed: a.failed + b.failed,
    prompt: a.prompt + b.prompt,
    completion: a.completion + b.completion,
    spend: a.spend + b.spend,
  };
}
