import type {
  BudgetRow,
  EmulatorBehaviour,
  FaultSpec,
  KeyRow,
  MembershipRow,
  TeamRow,
  UserRow,
} from '../types';
import type { ResolvedModel } from '../models';
import { DailyStore } from './dailyStore';
import { SpendStore } from './spendStore';
import {
  addDuration,
  iso,
  isoDate,
  nextStandardizedReset,
  prng,
  sha256Hex,
  toTokenHash,
} from '../util';

export { SpendStore, StringPool } from './spendStore';
export type { SpendLogInput } from './spendStore';
export { DailyStore } from './dailyStore';

export interface DeletedKeyRow extends KeyRow {
  deleted_at: string;
  deleted_by: string;
}

export interface SeedSpendOptions {
  rows: number;
  /** Spread rows evenly over the N days before now (default 30). */
  days?: number;
  /** Raw keys, hashes or aliases of existing keys, or arbitrary hashes (default: all keys, else synthetic). */
  keys?: string[];
  /** Model names (default: all chat models). */
  models?: string[];
  /** Fraction of failed requests (default 0.02). */
  failureRate?: number;
  /** Add the seeded spend to key/user/team totals of existing entities (default true). */
  updateTotals?: boolean;
  /** PRNG seed (default 42). */
  seed?: number;
}

export interface StateSummary {
  keys: number;
  deleted_keys: number;
  users: number;
  teams: number;
  team_memberships: number;
  budgets: number;
  models: number;
  spend_rows: number;
  spend_rows_inserted: number;
  spend_rows_dropped: number;
  spend_rows_capacity: number;
  daily_user_rows: number;
  daily_team_rows: number;
  faults: number;
  now: string;
}

/**
 * `/__emulator/recording`: GET answers of some paths kept as they were sent (`record`),
 * then sent again as they were, without running their handler (`replay`), as a LiteLLM
 * that answers at once would: benchmarks use it to time their client's own work.
 */
export interface Recording {
  mode: 'off' | 'record' | 'replay';
  paths: ReadonlySet<string>;
  /** By caller token and URL (path and query). */
  answers: Map<string, Buffer>;
}

export const emptyRecording = (): Recording => ({
  mode: 'off',
  paths: new Set(),
  answers: new Map(),
});

/** All state of one emulator; readable by tests (`emulator.state`). */
export class EmulatorState {
  readonly keys = new Map<string, KeyRow>();
  readonly keyAliases = new Map<string, string>();
  readonly deletedKeys = new Map<string, DeletedKeyRow>();
  /** Old hash → new hash while a regenerated key's grace period runs. */
  readonly graceKeys = new Map<string, { token: string; until: number }>();
  readonly users = new Map<string, UserRow>();
  readonly teams = new Map<string, TeamRow>();
  /** `${team_id}\u0001${user_id}` → membership. */
  readonly memberships = new Map<string, MembershipRow>();
  readonly budgets = new Map<string, BudgetRow>();
  readonly spendLogs: SpendStore;
  readonly dailyUser = new DailyStore();
  readonly dailyTeam = new DailyStore();
  /** Rate-limit windows: `k:<hash>` / `u:<id>` / `t:<id>` → counters of the current minute. */
  readonly rateWindows = new Map<
    string,
    { window: number; requests: number; tokens: number }
  >();
  readonly inflight = new Map<string, number>();
  faults: Array<FaultSpec & { remaining: number }> = [];
  recording: Recording = emptyRecording();
  /** Earliest `budget_reset_at` of any entity (ms), to make the reset sweep cheap. */
  nextResetAt = Infinity;

  readonly modelsByName = new Map<string, ResolvedModel>();

  constructor(
    readonly models: ResolvedModel[],
    readonly behaviour: EmulatorBehaviour,
    readonly now: () => number,
  ) {
    for (const m of models) {
      if (!this.modelsByName.has(m.name)) this.modelsByName.set(m.name, m);
    }
    this.spendLogs = new SpendStore(Math.max(1, behaviour.maxSpendLogRows));
  }

  reset(): void {
    this.keys.clear();
    this.keyAliases.clear();
    this.deletedKeys.clear();
    this.graceKeys.clear();
    this.users.clear();
    this.teams.clear();
    this.memberships.clear();
    this.budgets.clear();
    this.spendLogs.clear();
    this.dailyUser.clear();
    this.dailyTeam.clear();
    this.rateWindows.clear();
    this.inflight.clear();
    this.faults = [];
    this.recording = emptyRecording();
    this.nextResetAt = Infinity;
  }

  /** Finds a live key by raw key or hash. */
  getKey(rawOrHash: string): KeyRow | undefined {
    return this.keys.get(toTokenHash(rawOrHash));
  }

  membership(teamId: string, userId: string): MembershipRow | undefined {
    return this.memberships.get(`${teamId}\u0001${userId}`);
  }

  summary(): StateSummary {
    return {
      keys: this.keys.size,
      deleted_keys: this.deletedKeys.size,
      users: this.users.size,
      teams: this.teams.size,
      team_memberships: this.memberships.size,
      budgets: this.budgets.size,
      models: this.models.length,
      spend_rows: this.spendLogs.count,
      spend_rows_inserted: this.spendLogs.inserted,
      spend_rows_dropped: this.spendLogs.dropped,
      spend_rows_capacity: this.spendLogs.capacity,
      daily_user_rows: this.dailyUser.size,
      daily_team_rows: this.dailyTeam.size,
      faults: this.faults.length,
      now: iso(this.now()),
    };
  }

  // ---- budgets -----------------------------------------------------------------------------

  /** `budget_reset_at` for a duration, per the alignment switch. */
  budgetResetAt(
    duration: string | null | undefined,
    fromMs = this.now(),
  ): string | null {
    if (!duration) return null;
    const ms =
      this.behaviour.budgetResetAlignment === 'calendar'
        ? nextStandardizedReset(fromMs, duration)
        : addDuration(fromMs, duration);
    this.noteReset(ms);
    return iso(ms);
  }

  noteReset(ms: number): void {
    if (ms < this.nextResetAt) this.nextResetAt = ms;
  }

  /** Resets spend of every entity whose `budget_reset_at` has passed (LiteLLM's reset job). */
  resetBudgetsIfDue(): void {
    const now = this.now();
    if (now < this.nextResetAt) return;
    let next = Infinity;
    const sweep = (row: {
      spend: number;
      budget_duration: string | null;
      budget_reset_at: string | null;
    }): boolean => {
      if (!row.budget_duration || !row.budget_reset_at) return false;
      let at = Date.parse(row.budget_reset_at);
      let fired = false;
      if (at <= now) {
        row.spend = 0;
        at = Date.parse(this.budgetResetAt(row.budget_duration, now)!);
        row.budget_reset_at = iso(at);
        fired = true;
      }
      if (at < next) next = at;
      return fired;
    };
    for (const k of this.keys.values()) {
      if (sweep(k)) k.model_spend = {};
    }
    for (const u of this.users.values()) {
      if (sweep(u)) u.model_spend = {};
    }
    for (const t of this.teams.values()) {
      if (sweep(t)) t.model_spend = {};
    }
    // Budget rows: their spend lives in linked team memberships.
    for (const b of this.budgets.values()) {
      if (!b.budget_duration || !b.budget_reset_at) continue;
      let at = Date.parse(b.budget_reset_at);
      if (at <= now) {
        for (const m of this.memberships.values()) {
          if (m.budget_id === b.budget_id) m.spend = 0;
        }
        at = Date.parse(this.budgetResetAt(b.budget_duration, now)!);
        b.budget_reset_at = iso(at);
      }
      if (at < next) next = at;
    }
    this.nextResetAt = next;
  }

  // ---- spend ---------------------------------------------------------------------------------

  /** Adds spend to the key, its user, team and membership totals. */
  applySpendTotals(
    token: string,
    userId: string | null,
    teamId: string | null,
    model: string,
    spend: number,
    atMs: number,
  ): void {
    const key = this.keys.get(token);
    if (key) {
      key.spend += spend;
      key.model_spend[model] = (key.model_spend[model] ?? 0) + spend;
      key.last_active = iso(atMs);
    }
    if (userId) {
      const user = this.users.get(userId);
      if (user) {
        user.spend += spend;
        user.model_spend[model] = (user.model_spend[model] ?? 0) + spend;
      }
    }
    if (teamId) {
      const team = this.teams.get(teamId);
      if (team) {
        team.spend += spend;
        team.model_spend[model] = (team.model_spend[model] ?? 0) + spend;
      }
      if (userId) {
        const m = this.membership(teamId, userId);
        if (m) m.spend += spend;
      }
    }
  }

  /**
   * Seeds bulk spend rows (benchmarks). Rows are spread evenly over `days` days ending now, in
   * chronological order; daily rollups are aggregated in one pass.
   */
  seedSpend(options: SeedSpendOptions): {
    inserted: number;
    spend: number;
    daily_user_rows: number;
    daily_team_rows: number;
  } {
    const rows = Math.max(0, Math.floor(options.rows));
    const days = Math.max(1, Math.floor(options.days ?? 30));
    const failureRate = options.failureRate ?? 0.02;
    const rnd = prng(options.seed ?? 42);
    const pool = this.spendLogs.pool;

    const modelNames =
      options.models && options.models.length > 0
        ? options.models
        : this.models.filter(m => m.mode !== 'embedding').map(m => m.name);
    const models = modelNames.map(name => {
      const m = this.modelsByName.get(name);
      return {
        name,
        inputCost: m?.inputCost ?? 0,
        outputCost: m?.outputCost ?? 0,
        ids: {
          model: pool.id(name),
          modelId: pool.id(m?.id ?? null),
          provider: pool.id(m?.provider ?? null),
          apiBase: pool.id((m?.info.litellm_params.api_base as string) ?? null),
        },
        provider: m?.provider ?? null,
      };
    });
    if (models.length === 0) throw new Error('No models to seed');

    let keyRefs = options.keys ?? [];
    if (keyRefs.length === 0) {
      keyRefs =
        this.keys.size > 0
          ? [...this.keys.keys()]
          : Array.from({ length: 10 }, (_, i) => sha256Hex(`seed-key-${i}`));
    }
    const keys = keyRefs.map(ref => {
      const token = this.keyAliases.get(ref) ?? toTokenHash(ref);
      const row = this.keys.get(token);
      const team = row?.team_id ? this.teams.get(row.team_id) : undefined;
      return {
        token,
        userId: row?.user_id ?? null,
        teamId: row?.team_id ?? null,
        ids: {
          apiKey: pool.id(token),
          keyAlias: pool.id(row?.key_alias ?? null),
          user: pool.id(row?.user_id ?? null),
          team: pool.id(row?.team_id ?? null),
          teamAlias: pool.id(team?.team_alias ?? null),
        },
      };
    });

    const now = this.now();
    const DAY = 86_400_000;
    // Rows are spread evenly over [now - days, now), in chronological order.
    const span = days * DAY;
    const startMs = now - span;
    const firstDay = Math.floor(startMs / DAY);
    const buckets = Math.floor((now - 1) / DAY) - firstDay + 1;
    const callType = pool.id('acompletion');
    const K = keys.length;
    const M = models.length;
    // Aggregates per (day, key, model): prompt, completion, spend, ok, failed.
    const cells = buckets * K * M;
    const aggPrompt = new Float64Array(cells);
    const aggCompletion = new Float64Array(cells);
    const aggSpend = new Float64Array(cells);
    const aggOk = new Float64Array(cells);
    const aggFail = new Float64Array(cells);
    const keySpend = new Float64Array(K * M);
    let total = 0;
    const ids = {
      apiKey: 0,
      keyAlias: 0,
      model: 0,
      modelId: 0,
      provider: 0,
      apiBase: 0,
      user: 0,
      team: 0,
      teamAlias: 0,
      callType,
    };
    const store = this.spendLogs;
    for (let r = 0; r < rows; r++) {
      const t = startMs + Math.floor((span * r) / Math.max(1, rows));
      const k = (rnd() * K) | 0;
      const m = (rnd() * M) | 0;
      const ok = rnd() >= failureRate;
      const prompt = ok ? 20 + ((rnd() * 2000) | 0) : 0;
      const completion = ok ? 10 + ((rnd() * 800) | 0) : 0;
      const model = models[m];
      const spend = prompt * model.inputCost + completion * model.outputCost;
      const key = keys[k];
      ids.apiKey = key.ids.apiKey;
      ids.keyAlias = key.ids.keyAlias;
      ids.user = key.ids.user;
      ids.team = key.ids.team;
      ids.teamAlias = key.ids.teamAlias;
      ids.model = model.ids.model;
      ids.modelId = model.ids.modelId;
      ids.provider = model.ids.provider;
      ids.apiBase = model.ids.apiBase;
      store.appendIds(
        t,
        200 + ((rnd() * 1800) | 0),
        spend,
        prompt,
        completion,
        ids,
        ok,
      );
      const day = Math.floor(t / DAY) - firstDay;
      const cell = (day * K + k) * M + m;
      aggPrompt[cell] += prompt;
      aggCompletion[cell] += completion;
      aggSpend[cell] += spend;
      if (ok) aggOk[cell]++;
      else aggFail[cell]++;
      keySpend[k * M + m] += spend;
      total += spend;
    }
    for (let day = 0; day < buckets; day++) {
      const date = isoDate((firstDay + day) * DAY);
      for (let k = 0; k < K; k++) {
        const key = keys[k];
        for (let m = 0; m < M; m++) {
          const cell = (day * K + k) * M + m;
          if (aggOk[cell] + aggFail[cell] === 0) continue;
          const model = models[m];
          for (const [store2, entity] of [
            [this.dailyUser, key.userId],
            [this.dailyTeam, key.teamId],
          ] as const) {
            store2.add(
              entity,
              date,
              key.token,
              model.name,
              model.provider,
              '/chat/completions',
              aggPrompt[cell],
              aggCompletion[cell],
              aggSpend[cell],
              aggOk[cell],
              aggFail[cell],
            );
          }
        }
      }
    }
    if (options.updateTotals ?? true) {
      for (let k = 0; k < K; k++) {
        for (let m = 0; m < M; m++) {
          const s = keySpend[k * M + m];
          if (s > 0) {
            this.applySpendTotals(
              keys[k].token,
              keys[k].userId,
              keys[k].teamId,
              models[m].name,
              s,
              now,
            );
          }
        }
      }
    }
    return {
      inserted: rows,
      spend: total,
      daily_user_rows: this.dailyUser.size,
      daily_team_rows: this.dailyTeam.size,
    };
  }
}
