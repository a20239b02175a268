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

/**
 * The counters of a metrics object, into `out` (a caller's scratch object: pages hold
 * hundreds of thousands of these, and a new object for each was most of the
 * accumulator's garbage).
 */
function readCounters(m: LiteLLMDailyMetrics, out: Counters): Counters {
  const ok = m.successful_requests ?? 0;
  const failed = m.failed_requests ?? 0;
  const requests = m.api_requests ?? ok + failed;
  // Older LiteLLM versions count api_requests without the success split.
  out.ok = ok + Math.max(0, requests - ok - failed);
  out.failed = failed;
  out.prompt = m.prompt_tokens ?? 0;
  out.completion = m.completion_tokens ?? 0;
  out.spend = m.spend ?? 0;
  return out;
}

interface Counters {
  ok: number;
  failed: number;
  prompt: number;
  completion: number;
  spend: number;
}

const zero = (): Counters => ({
  ok: 0,
  failed: 0,
  prompt: 0,
  completion: 0,
  spend: 0,
});

function addTo(sum: Counters, c: Counters): void {
  sum.ok += c.ok;
  sum.failed += c.failed;
  sum.prompt += c.prompt;
  sum.completion += c.completion;
  sum.spend += c.spend;
}

/** `total - part`, into `total`. */
function subtractFrom(total: Counters, part: Counters): Counters {
  total.ok -= part.ok;
  total.failed -= part.failed;
  total.prompt -= part.prompt;
  total.completion -= part.completion;
  total.spend -= part.spend;
  return total;
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
    const apiKeys = day.breakdown.api_keys ?? {};
    for (const hash in apiKeys) {
      if (!Object.hasOwn(apiKeys, hash)) continue;
      const meta = apiKeys[hash].metadata ?? {};
      const alias = meta.key_alias as string | undefined;
      const userId = meta.user_id as string | undefined;
      const teamId = meta.team_id as string | undefined;
      const known = this.keyMeta.get(hash);
      // A key shows up every day it was used, nearly always with the same metadata.
      if (
        known &&
        (alias ?? known.alias) === known.alias &&
        (userId ?? known.userId) === known.userId &&
        (teamId ?? known.teamId) === known.teamId
      ) {
        continue;
      }
      this.keyMeta.set(hash, {
        alias: alias ?? known?.alias,
        userId: userId ?? known?.userId,
        teamId: teamId ?? known?.teamId,
      });
    }
    const c = zero();
    const byModels = zero();
    const models = day.breakdown.models ?? {};
    for (const model in models) {
      if (!Object.hasOwn(models, model)) continue;
      const entry = models[model];
      const rest = readCounters(entry.metrics, zero());
      addTo(byModels, rest);
      const keys = entry.api_key_breakdown ?? {};
      for (const hash in keys) {
        if (!Object.hasOwn(keys, hash)) continue;
        const k = keys[hash];
        readCounters(k.metrics, c);
        subtractFrom(rest, c);
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
      if (!isZero(rest) && (!only || only('', model)))
        this.#add(date, '', model, rest);
    }
    const rest = subtractFrom(readCounters(day.metrics, zero()), byModels);
    if (!isZero(rest) && (!only || only('', ''))) this.#add(date, '', '', rest);
  }
}
