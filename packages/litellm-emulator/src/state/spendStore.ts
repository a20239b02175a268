/*
 * Spend-log rows kept column-wise in typed arrays with interned strings, as a ring buffer with a
 * hard row cap: 1,000,000 rows cost roughly 80 MB, and the oldest rows are dropped past the cap.
 */

/** Interns strings to small integers; id 0 is null. */
export class StringPool {
  private readonly ids = new Map<string, number>();
  readonly values: Array<string | null> = [null];

  id(value: string | null | undefined): number {
    if (value === null || value === undefined) return 0;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** Id of a string already interned, or -1. */
  lookup(value: string): number {
    return this.ids.get(value) ?? -1;
  }

  get(id: number): string | null {
    return this.values[id] ?? null;
  }
}

export interface SpendLogInput {
  requestId?: string;
  callType: string;
  apiKey: string;
  keyAlias: string | null;
  spend: number;
  promptTokens: number;
  completionTokens: number;
  startMs: number;
  endMs: number;
  model: string;
  modelId: string | null;
  modelGroup: string;
  provider: string | null;
  apiBase: string | null;
  user: string | null;
  endUser: string | null;
  teamId: string | null;
  teamAlias: string | null;
  status: 'success' | 'failure';
  errorCode?: number;
  errorMessage?: string;
  requesterIp?: string | null;
  sessionId?: string | null;
}

const INITIAL_CAPACITY = 1 << 14;

export class SpendStore {
  readonly pool = new StringPool();
  private alloc = 0;
  private head = 0;
  count = 0;
  /** Rows ever appended (including dropped ones). */
  inserted = 0;
  dropped = 0;
  /** True while rows arrived in non-decreasing start time (lets reads skip sorting). */
  ordered = true;
  private lastStart = -Infinity;

  start!: Float64Array;
  end!: Float64Array;
  spend!: Float64Array;
  seq!: Float64Array;
  prompt!: Uint32Array;
  completion!: Uint32Array;
  apiKey!: Uint32Array;
  keyAlias!: Uint32Array;
  model!: Uint32Array;
  modelId!: Uint32Array;
  modelGroup!: Uint32Array;
  provider!: Uint32Array;
  apiBase!: Uint32Array;
  user!: Uint32Array;
  endUser!: Uint32Array;
  team!: Uint32Array;
  teamAlias!: Uint32Array;
  callType!: Uint32Array;
  ip!: Uint32Array;
  status!: Uint8Array;
  errorCode!: Uint16Array;
  requestIds: Array<string | undefined> = [];
  extra: Array<{ error?: string; session?: string } | undefined> = [];

  constructor(readonly capacity: number) {
    this.allocate(Math.min(INITIAL_CAPACITY, Math.max(1, capacity)));
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.inserted = 0;
    this.dropped = 0;
    this.ordered = true;
    this.lastStart = -Infinity;
    this.allocate(Math.min(INITIAL_CAPACITY, Math.max(1, this.capacity)));
  }

  private allocate(size: number): void {
    const copy = <T extends { set(a: ArrayLike<number>): void }>(
      make: (n: number) => T,
      old: T | undefined,
    ): T => {
      const next = make(size);
      if (old && this.count > 0) next.set(old as unknown as ArrayLike<number>);
      return next;
    };
    const f64 = (n: number) => new Float64Array(n);
    const u32 = (n: number) => new Uint32Array(n);
    this.start = copy(f64, this.alloc ? this.start : undefined);
    this.end = copy(f64, this.alloc ? this.end : undefined);
    this.spend = copy(f64, this.alloc ? this.spend : undefined);
    this.seq = copy(f64, this.alloc ? this.seq : undefined);
    this.prompt = copy(u32, this.alloc ? this.prompt : undefined);
    this.completion = copy(u32, this.alloc ? this.completion : undefined);
    this.apiKey = copy(u32, this.alloc ? this.apiKey : undefined);
    this.keyAlias = copy(u32, this.alloc ? this.keyAlias : undefined);
    this.model = copy(u32, this.alloc ? this.model : undefined);
    this.modelId = copy(u32, this.alloc ? this.modelId : undefined);
    this.modelGroup = copy(u32, this.alloc ? this.modelGroup : undefined);
    this.provider = copy(u32, this.alloc ? this.provider : undefined);
    this.apiBase = copy(u32, this.alloc ? this.apiBase : undefined);
    this.user = copy(u32, this.alloc ? this.user : undefined);
    this.endUser = copy(u32, this.alloc ? this.endUser : undefined);
    this.team = copy(u32, this.alloc ? this.team : undefined);
    this.teamAlias = copy(u32, this.alloc ? this.teamAlias : undefined);
    this.callType = copy(u32, this.alloc ? this.callType : undefined);
    this.ip = copy(u32, this.alloc ? this.ip : undefined);
    this.status = copy(
      n => new Uint8Array(n),
      this.alloc ? this.status : undefined,
    );
    this.errorCode = copy(
      n => new Uint16Array(n),
      this.alloc ? this.errorCode : undefined,
    );
    if (this.count === 0) {
      this.requestIds = [];
      this.extra = [];
    }
    this.alloc = size;
  }

  /** Reserves the physical slot for a new row (growing or overwriting the oldest row). */
  private slot(startMs: number): number {
    if (this.count === this.alloc) {
      if (this.alloc < this.capacity) {
        this.allocate(Math.min(this.alloc * 2, this.capacity));
      } else {
        // Ring buffer full: drop the oldest row.
        const oldest = this.head;
        this.head = (this.head + 1) % this.alloc;
        this.count--;
        this.dropped++;
        this.requestIds[oldest] = undefined;
        this.extra[oldest] = undefined;
      }
    }
    const i = (this.head + this.count) % this.alloc;
    this.count++;
    this.inserted++;
    if (startMs < this.lastStart) this.ordered = false;
    this.lastStart = startMs;
    this.seq[i] = this.inserted;
    return i;
  }

  append(row: SpendLogInput): void {
    const p = this.pool;
    const i = this.slot(row.startMs);
    this.start[i] = row.startMs;
    this.end[i] = row.endMs;
    this.spend[i] = row.spend;
    this.prompt[i] = row.promptTokens;
    this.completion[i] = row.completionTokens;
    this.apiKey[i] = p.id(row.apiKey);
    this.keyAlias[i] = p.id(row.keyAlias);
    this.model[i] = p.id(row.model);
    this.modelId[i] = p.id(row.modelId);
    this.modelGroup[i] = p.id(row.modelGroup);
    this.provider[i] = p.id(row.provider);
    this.apiBase[i] = p.id(row.apiBase);
    this.user[i] = p.id(row.user);
    this.endUser[i] = p.id(row.endUser);
    this.team[i] = p.id(row.teamId);
    this.teamAlias[i] = p.id(row.teamAlias);
    this.callType[i] = p.id(row.callType);
    this.ip[i] = p.id(row.requesterIp ?? null);
    this.status[i] = row.status === 'success' ? 1 : 0;
    this.errorCode[i] = row.errorCode ?? 0;
    this.requestIds[i] = row.requestId;
    this.extra[i] =
      row.errorMessage || row.sessionId
        ? { error: row.errorMessage, session: row.sessionId ?? undefined }
        : undefined;
  }

  /**
   * Fast path for bulk seeding: all string columns are given as pool ids.
   */
  appendIds(
    startMs: number,
    durationMs: number,
    spend: number,
    prompt: number,
    completion: number,
    ids: {
      apiKey: number;
      keyAlias: number;
      model: number;
      modelId: number;
      provider: number;
      apiBase: number;
      user: number;
      team: number;
      teamAlias: number;
      callType: number;
    },
    success: boolean,
  ): void {
    const i = this.slot(startMs);
    this.start[i] = startMs;
    this.end[i] = startMs + durationMs;
    this.spend[i] = spend;
    this.prompt[i] = prompt;
    this.completion[i] = completion;
    this.apiKey[i] = ids.apiKey;
    this.keyAlias[i] = ids.keyAlias;
    this.model[i] = ids.model;
    this.modelId[i] = ids.modelId;
    this.modelGroup[i] = ids.model;
    this.provider[i] = ids.provider;
    this.apiBase[i] = ids.apiBase;
    this.user[i] = ids.user;
    this.endUser[i] = 0;
    this.team[i] = ids.team;
    this.teamAlias[i] = ids.teamAlias;
    this.callType[i] = ids.callType;
    this.ip[i] = 0;
    this.status[i] = success ? 1 : 0;
    this.errorCode[i] = success ? 0 : 500;
    if (this.requestIds.length > i) this.requestIds[i] = undefined;
    if (this.extra.length > i) this.extra[i] = undefined;
  }

  /** Physical index of the i-th row in insertion order (0 = oldest). */
  physical(i: number): number {
    return (this.head + i) % this.alloc;
  }

  requestId(i: number): string {
    return (
      this.requestIds[i] ?? `emu-${this.seq[i].toString(16).padStart(12, '0')}`
    );
  }

  /**
   * Physical indexes of matching rows, newest first (by start time, then insertion order).
   */
  select(match: (i: number) => boolean): Uint32Array {
    const out: number[] = [];
    for (let n = this.count - 1; n >= 0; n--) {
      const i = this.physical(n);
      if (match(i)) out.push(i);
    }
    const result = Uint32Array.from(out);
    if (!this.ordered) {
      const start = this.start;
      const seq = this.seq;
      result.sort((a, b) => start[b] - start[a] || seq[b] - seq[a]);
    }
    return result;
  }

  /** Materializes a row in LiteLLM's SpendLogs shape. */
  row(i: number): Record<string, unknown> {
    const p = this.pool;
    const status = this.status[i] ? 'success' : 'failure';
    const apiKey = p.get(this.apiKey[i]);
    const extra = this.extra[i];
    const startTime = new Date(this.start[i]).toISOString();
    const endTime = new Date(this.end[i]).toISOString();
    const prompt = this.prompt[i];
    const completion = this.completion[i];
    const usage = {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    };
    const errorInformation =
      status === 'failure'
        ? {
            error_code: String(this.errorCode[i] || 500),
            error_class: 'ProxyException',
            error_message: extra?.error ?? '',
          }
        : null;
    return {
      request_id: this.requestId(i),
      call_type: p.get(this.callType[i]),
      api_key: apiKey,
      spend: this.spend[i],
      total_tokens: prompt + completion,
      prompt_tokens: prompt,
      completion_tokens: completion,
      startTime,
      endTime,
      completionStartTime: endTime,
      request_duration_ms: Math.round(this.end[i] - this.start[i]),
      model: p.get(this.model[i]) ?? '',
      model_id: p.get(this.modelId[i]) ?? '',
      model_group: p.get(this.modelGroup[i]) ?? '',
      custom_llm_provider: p.get(this.provider[i]) ?? '',
      api_base: p.get(this.apiBase[i]) ?? '',
      user: p.get(this.user[i]) ?? '',
      end_user: p.get(this.endUser[i]) ?? '',
      team_id: p.get(this.team[i]),
      organization_id: null,
      metadata: {
        user_api_key: apiKey,
        user_api_key_alias: p.get(this.keyAlias[i]),
        user_api_key_team_id: p.get(this.team[i]),
        user_api_key_user_id: p.get(this.user[i]),
        user_api_key_team_alias: p.get(this.teamAlias[i]),
        user_api_key_org_id: null,
        spend_logs_metadata: null,
        requester_ip_address: p.get(this.ip[i]),
        status,
        error_information: errorInformation,
        usage_object: usage,
        additional_usage_values: {},
      },
      cache_hit: 'False',
      cache_key: 'Cache OFF',
      request_tags: [],
      requester_ip_address: p.get(this.ip[i]) ?? '',
      messages: {},
      response: {},
      proxy_server_request: {},
      session_id: extra?.session ?? null,
      status,
      mcp_namespaced_tool_name: null,
    };
  }
}
