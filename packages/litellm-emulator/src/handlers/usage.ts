import { Ctx, Emulator, qBool, qInt } from '../emulator';
import { detailError } from '../errors';
import type { DailyStore } from '../state';
import type { DailyRow } from '../types';
import { isDateOnly, isoDate, parseUtcDate, toTokenHash } from '../util';

const DAY = 86_400_000;

/**
 * `SpendMetrics` (litellm/types/proxy/management_endpoints/common_daily_activity.py). The
 * emulator has no flat costs, compression, savings or response timings: those stay 0.
 */
interface Metrics {
  spend: number;
  flat_cost: number;
  compression_saved_tokens: number;
  compression_savings_spend: number;
  prompt_caching_savings_spend: number;
  gateway_injected_caching_savings_spend: number;
  autorouter_savings_spend: number;
  total_response_time_ms: number;
  timed_requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  api_requests: number;
  successful_requests: number;
  failed_requests: number;
}

const emptyMetrics = (): Metrics => ({
  spend: 0,
  flat_cost: 0,
  compression_saved_tokens: 0,
  compression_savings_spend: 0,
  prompt_caching_savings_spend: 0,
  gateway_injected_caching_savings_spend: 0,
  autorouter_savings_spend: 0,
  total_response_time_ms: 0,
  timed_requests: 0,
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
  api_requests: 0,
  successful_requests: 0,
  failed_requests: 0,
});

function addMetrics(m: Metrics, r: DailyRow): void {
  m.spend += r.spend;
  m.prompt_tokens += r.prompt_tokens;
  m.completion_tokens += r.completion_tokens;
  m.total_tokens += r.prompt_tokens + r.completion_tokens;
  m.cache_read_input_tokens += r.cache_read_input_tokens;
  m.cache_creation_input_tokens += r.cache_creation_input_tokens;
  m.api_requests += r.api_requests;
  m.successful_requests += r.successful_requests;
  m.failed_requests += r.failed_requests;
}

/** Start (inclusive) and end (exclusive) of a date range; date-only ends cover the whole day. */
function range(
  startRaw: string,
  endRaw: string,
): { from: number; to: number } | undefined {
  const from = parseUtcDate(startRaw);
  const end = parseUtcDate(endRaw);
  if (from === undefined || end === undefined) return undefined;
  return { from, to: isDateOnly(endRaw) ? end + DAY : end + 1 };
}

export function registerUsageRoutes(emu: Emulator): void {
  const st = emu.state;
  const logs = st.spendLogs;

  /** `KeyMetadata` (common_daily_activity.py). */
  function keyMeta(hash: string): Record<string, unknown> {
    const live = st.keys.get(hash);
    const row = live ?? st.deletedKeys.get(hash);
    const user = row?.user_id ? st.users.get(row.user_id) : undefined;
    return {
      key_alias: row?.key_alias ?? null,
      team_id: row?.team_id ?? null,
      user_id: row?.user_id ?? null,
      user_email: user?.user_email ?? null,
      key_exists: live !== undefined,
    };
  }

  // ---- /spend/logs -------------------------------------------------------------------------

  emu.route('GET', '/spend/logs', 'key', ctx => {
    const q = ctx.query;
    let apiKey = q.get('api_key');
    const requestId = q.get('request_id');
    let userId = q.get('user_id');
    if (!ctx.caller.isAdmin) {
      userId = ctx.caller.userId ?? '__none__';
      apiKey = null;
    }
    const pool = logs.pool;
    let match: (i: number) => boolean = () => true;
    if (apiKey) {
      const id = pool.lookup(toTokenHash(apiKey));
      match = i => logs.apiKey[i] === id;
    } else if (requestId) {
      match = i => logs.requestId(i) === requestId;
    } else if (userId) {
      const id = pool.lookup(userId);
      match = i => logs.user[i] === id;
    }
    const startDate = q.get('start_date');
    const endDate = q.get('end_date');
    if (startDate && endDate) {
      const r = range(startDate, endDate);
      if (!r)
        throw detailError(400, {
          error: 'Invalid start_date or end_date, expected YYYY-MM-DD',
        });
      const inner = match;
      const start = logs.start;
      match = i => start[i] >= r.from && start[i] < r.to && inner(i);
      if (qBool(q, 'summarize', true)) {
        const days = new Map<
          string,
          {
            startTime: string;
            spend: number;
            users: Record<string, number>;
            models: Record<string, number>;
            [k: string]: unknown;
          }
        >();
        for (let t = r.from; t < r.to; t += DAY) {
          const d = isoDate(t);
          days.set(d, { startTime: d, spend: 0, users: {}, models: {} });
        }
        for (let n = 0; n < logs.count; n++) {
          const i = logs.physical(n);
          if (!match(i)) continue;
          const day = days.get(isoDate(logs.start[i]));
          if (!day) continue;
          const s = logs.spend[i];
          day.spend += s;
          const key = pool.get(logs.apiKey[i]) ?? 'None';
          day[key] = ((day[key] as number) ?? 0) + s;
          const user = pool.get(logs.user[i]) ?? 'None';
          day.users[user] = (day.users[user] ?? 0) + s;
          const model = pool.get(logs.modelGroup[i]) ?? 'None';
          day.models[model] = (day.models[model] ?? 0) + s;
        }
        return [...days.values()];
      }
    }
    return Array.from(logs.select(match), i => logs.row(i));
  });

  // ---- /spend/logs/ui and /spend/logs/v2 ----------------------------------------------------

  const pagedLogs = (maxPageSize: number) => (ctx: Ctx) => {
    const q = ctx.query;
    const startDate = q.get('start_date');
    const endDate = q.get('end_date');
    if (!startDate || !endDate)
      throw detailError(400, { error: 'Start date and end date are required' });
    const r = range(startDate, endDate);
    if (!r)
      throw detailError(400, {
        error: 'Invalid date format. Use YYYY-MM-DD HH:MM:SS',
      });
    const page = qInt(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const pageSize = qInt(q, 'page_size', 50, 1, maxPageSize);
    const pool = logs.pool;
    const lookup = (
      name: string,
      transform: (v: string) => string = v => v,
    ): number | undefined => {
      const v = q.get(name);
      if (!v) return undefined;
      return pool.lookup(transform(v));
    };
    let userId = q.get('user_id');
    if (!ctx.caller.isAdmin) userId = ctx.caller.userId ?? '__none__';
    const apiKeyId = lookup('api_key', toTokenHash);
    const userIdId = userId ? pool.lookup(userId) : undefined;
    const teamId = lookup('team_id');
    const modelId = lookup('model');
    const aliasId = lookup('key_alias');
    const endUserId = lookup('end_user');
    const requestId = q.get('request_id');
    const minSpend =
      q.get('min_spend') !== null ? Number(q.get('min_spend')) : undefined;
    const maxSpend =
      q.get('max_spend') !== null ? Number(q.get('max_spend')) : undefined;
    const status = q.get('status_filter');
    const errorCode = q.get('error_code');
    const { start, spend } = logs;
    const rows = logs.select(i => {
      if (start[i] < r.from || start[i] >= r.to) return false;
      if (apiKeyId !== undefined && logs.apiKey[i] !== apiKeyId) return false;
      if (userIdId !== undefined && logs.user[i] !== userIdId) return false;
      if (teamId !== undefined && logs.team[i] !== teamId) return false;
      if (
        modelId !== undefined &&
        logs.modelGroup[i] !== modelId &&
        logs.model[i] !== modelId
      )
        return false;
      if (aliasId !== undefined && logs.keyAlias[i] !== aliasId) return false;
      if (endUserId !== undefined && logs.endUser[i] !== endUserId)
        return false;
      if (minSpend !== undefined && spend[i] < minSpend) return false;
      if (maxSpend !== undefined && spend[i] > maxSpend) return false;
      if (status === 'success' && logs.status[i] !== 1) return false;
      if (status === 'failure' && logs.status[i] !== 0) return false;
      if (errorCode && String(logs.errorCode[i]) !== errorCode) return false;
      if (requestId && logs.requestId(i) !== requestId) return false;
      return true;
    });
    const total = rows.length;
    const slice = rows.subarray((page - 1) * pageSize, page * pageSize);
    return {
      data: Array.from(slice, i => logs.row(i)),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
    };
  };
  emu.route('GET', '/spend/logs/ui', 'key', pagedLogs(100));
  emu.route('GET', '/spend/logs/v2', 'key', pagedLogs(1000));

  // ---- daily activity ------------------------------------------------------------------------

  /** Keys per selected row set: counted once per query, not again on each of its pages. */
  const apiKeyCounts = new WeakMap<DailyRow[], number>();

  function activity(
    store: DailyStore,
    entityKind: 'user' | 'team',
    filter: (r: DailyRow) => boolean,
    ctx: Ctx,
    from: string,
    to: string,
    page: number,
    pageSize: number | undefined,
  ): unknown {
    // Every parameter but the page, and who asks, decide which rows the query selects.
    const query = new URLSearchParams(ctx.query);
    query.delete('page');
    query.delete('page_size');
    const rows = store.select(
      `${entityKind}\u0001${ctx.caller.userId ?? ''}\u0001${
        ctx.caller.isAdmin
      }\u0001${
        ctx.caller.key?.team_id ?? ''
      }\u0001${from}\u0001${to}\u0001${query}`,
      r => r.date >= from && r.date <= to && filter(r),
    );
    let apiKeyCount = apiKeyCounts.get(rows);
    if (apiKeyCount === undefined) {
      apiKeyCount = new Set(rows.map(r => r.api_key)).size;
      apiKeyCounts.set(rows, apiKeyCount);
    }
    const totalPages = pageSize
      ? Math.max(1, Math.ceil(rows.length / pageSize))
      : 1;
    const pageRows = pageSize
      ? rows.slice((page - 1) * pageSize, page * pageSize)
      : rows;

    const total = emptyMetrics();
    const byDate = new Map<
      string,
      { date: string; metrics: Metrics; breakdown: any }
    >();
    // A key's metadata once per page: every breakdown of every row repeats it.
    const metaOfKey = new Map<string, Record<string, unknown>>();
    const metaOf = (hash: string) => {
      let meta = metaOfKey.get(hash);
      if (!meta) {
        meta = keyMeta(hash);
        metaOfKey.set(hash, meta);
      }
      return meta;
    };
    const entityMeta = (r: DailyRow): Record<string, unknown> => {
      if (entityKind === 'team')
        return {
          team_alias: r.entity
            ? st.teams.get(r.entity)?.team_alias ?? null
            : null,
        };
      const u = r.entity ? st.users.get(r.entity) : undefined;
      return {
        user_email: u?.user_email ?? null,
        user_alias: u?.user_alias ?? null,
      };
    };
    /** Adds a row to `bucket[name]` and to its `api_key_breakdown`. */
    const withKeys = (
      bucket: any,
      name: string,
      r: DailyRow,
      meta?: (r: DailyRow) => Record<string, unknown>,
    ) => {
      let e = bucket[name];
      if (!e) {
        e = {
          metrics: emptyMetrics(),
          metadata: meta ? meta(r) : {},
          api_key_breakdown: {},
        };
        bucket[name] = e;
      }
      addMetrics(e.metrics, r);
      let k = e.api_key_breakdown[r.api_key];
      if (!k) {
        k = { metrics: emptyMetrics(), metadata: metaOf(r.api_key) };
        e.api_key_breakdown[r.api_key] = k;
      }
      addMetrics(k.metrics, r);
    };
    for (const r of pageRows) {
      addMetrics(total, r);
      let day = byDate.get(r.date);
      if (!day) {
        day = {
          date: r.date,
          metrics: emptyMetrics(),
          breakdown: {
            models: {},
            model_groups: {},
            mcp_servers: {},
            providers: {},
            endpoints: {},
            api_keys: {},
            entities: {},
          },
        };
        byDate.set(r.date, day);
      }
      addMetrics(day.metrics, r);
      const b = day.breakdown;
      withKeys(b.models, r.model, r);
      withKeys(b.model_groups, r.model_group, r);
      withKeys(b.providers, r.custom_llm_provider ?? 'unknown', r);
      withKeys(b.endpoints, r.endpoint, r);
      withKeys(b.entities, r.entity ?? 'Unassigned', r, entityMeta);
      let k = b.api_keys[r.api_key];
      if (!k) {
        k = { metrics: emptyMetrics(), metadata: metaOf(r.api_key) };
        b.api_keys[r.api_key] = k;
      }
      addMetrics(k.metrics, r);
    }
    return {
      results: [...byDate.values()],
      metadata: {
        total_spend: total.spend,
        total_prompt_tokens: total.prompt_tokens,
        total_completion_tokens: total.completion_tokens,
        total_tokens: total.total_tokens,
        total_api_requests: total.api_requests,
        total_successful_requests: total.successful_requests,
        total_failed_requests: total.failed_requests,
        total_cache_read_input_tokens: total.cache_read_input_tokens,
        total_cache_creation_input_tokens: total.cache_creation_input_tokens,
        total_flat_cost: total.flat_cost,
        total_compression_saved_tokens: total.compression_saved_tokens,
        total_compression_savings_spend: total.compression_savings_spend,
        total_prompt_caching_savings_spend: total.prompt_caching_savings_spend,
        total_gateway_injected_caching_savings_spend:
          total.gateway_injected_caching_savings_spend,
        total_autorouter_savings_spend: total.autorouter_savings_spend,
        total_response_time_ms: total.total_response_time_ms,
        total_timed_requests: total.timed_requests,
        page,
        total_pages: totalPages,
        has_more: page < totalPages,
        // No per-key limit here: every key is listed.
        api_key_limit: null,
        total_api_keys: apiKeyCount,
      },
    };
  }

  function dates(ctx: Ctx): { from: string; to: string } {
    const from = ctx.query.get('start_date');
    const to = ctx.query.get('end_date');
    if (!from || !to)
      throw detailError(400, {
        error: 'Please provide start_date and end_date',
      });
    const f = parseUtcDate(from);
    const t = parseUtcDate(to);
    if (f === undefined || t === undefined) {
      throw detailError(400, { error: 'Invalid date format. Use YYYY-MM-DD' });
    }
    return { from: isoDate(f), to: isoDate(t) };
  }

  function commonFilter(ctx: Ctx): (r: DailyRow) => boolean {
    const model = ctx.query.get('model');
    const apiKey = ctx.query.get('api_key');
    const hash = apiKey ? toTokenHash(apiKey) : null;
    return r =>
      (!model || r.model === model || r.model_group === model) &&
      (!hash || r.api_key === hash);
  }

  const userActivity = (aggregated: boolean) => (ctx: Ctx) => {
    const { from, to } = dates(ctx);
    const page = aggregated
      ? 1
      : qInt(ctx.query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const pageSize = aggregated
      ? undefined
      : qInt(ctx.query, 'page_size', 50, 1, 1000);
    let userId = ctx.query.get('user_id');
    if (!ctx.caller.isAdmin) {
      if (userId && userId !== ctx.caller.userId) {
        throw detailError(403, {
          error: 'Non-admin users can only view their own spend data.',
        });
      }
      userId = ctx.caller.userId ?? '__none__';
    }
    const base = commonFilter(ctx);
    return activity(
      st.dailyUser,
      'user',
      r => (!userId || r.entity === userId) && base(r),
      ctx,
      from,
      to,
      page,
      pageSize,
    );
  };
  emu.route('GET', '/user/daily/activity', 'key', userActivity(false));
  emu.route(
    'GET',
    '/user/daily/activity/aggregated',
    'key',
    userActivity(true),
  );

  const teamActivity = (aggregated: boolean) => (ctx: Ctx) => {
    const { from, to } = dates(ctx);
    const page = aggregated
      ? 1
      : qInt(ctx.query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const pageSize = aggregated
      ? undefined
      : qInt(ctx.query, 'page_size', 10, 1, 1000);
    const split = (v: string | null) =>
      v
        ? v
            .split(',')
            .map(s => s.trim())
            .filter(Boolean)
        : [];
    let teamIds = split(ctx.query.get('team_ids'));
    const exclude = new Set(split(ctx.query.get('exclude_team_ids')));
    if (!ctx.caller.isAdmin) {
      const mine = new Set(
        ctx.caller.userId ? st.users.get(ctx.caller.userId)?.teams ?? [] : [],
      );
      if (ctx.caller.key?.team_id) mine.add(ctx.caller.key.team_id);
      if (teamIds.some(t => !mine.has(t))) {
        throw detailError(403, {
          error: 'User is not a member of the requested teams.',
        });
      }
      if (teamIds.length === 0) teamIds = [...mine];
      if (teamIds.length === 0) teamIds = ['__none__'];
    }
    const wanted = teamIds.length > 0 ? new Set(teamIds) : undefined;
    const base = commonFilter(ctx);
    return activity(
      st.dailyTeam,
      'team',
      r =>
        (!wanted || (r.entity !== null && wanted.has(r.entity))) &&
        !(r.entity && exclude.has(r.entity)) &&
        base(r),
      ctx,
      from,
      to,
      page,
      pageSize,
    );
  };
  emu.route('GET', '/team/daily/activity', 'key', teamActivity(false));
  emu.route(
    'GET',
    '/team/daily/activity/aggregated',
    'key',
    teamActivity(true),
  );

  emu.route('GET', '/global/activity', 'admin', ctx => {
    const { from, to } = dates(ctx);
    const perDay = new Map<
      string,
      { api_requests: number; total_tokens: number }
    >();
    for (const r of st.dailyUser.rows.values()) {
      if (r.date < from || r.date > to) continue;
      const d = perDay.get(r.date) ?? { api_requests: 0, total_tokens: 0 };
      d.api_requests += r.api_requests;
      d.total_tokens += r.prompt_tokens + r.completion_tokens;
      perDay.set(r.date, d);
    }
    const months = [
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ];
    const daily = [...perDay.entries()]
      .map(([date, v]) => ({
        date: `${months[Number(date.slice(5, 7)) - 1]} ${date.slice(8, 10)}`,
        ...v,
      }))
      .sort((a, b) => a.date.localeCompare(b.date));
    return {
      daily_data: daily,
      sum_api_requests: daily.reduce((s, d) => s + d.api_requests, 0),
      sum_total_tokens: daily.reduce((s, d) => s + d.total_tokens, 0),
    };
  });
}
