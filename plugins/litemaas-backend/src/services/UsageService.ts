import { Readable } from 'node:stream';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AdminUsageQuery,
  litemaasAuditReadPermission,
  UsageQuery,
  UsageReport,
  UsageResyncRequest,
  UsageSyncReport,
} from '@litemaas/backstage-plugin-litemaas-common';
import { stringify } from 'csv-stringify';
import { DateTime } from 'luxon';
import { AnyRequest as Request } from './request';
import { KeyStore } from '../database/KeyStore';
import { TeamStore } from '../database/TeamStore';
import { UsageDailyRow, UsageFilter, UsageStore } from '../database/UsageStore';
import {
  LiteLLMApi,
  LiteLLMDailyActivityDay,
  LiteLLMDailyActivityPage,
  LiteLLMDailyMetrics,
  LiteLLMError,
} from '../litellm';
import { AccessService, Caller } from './AccessService';
import { AuditService } from './AuditService';
import { TeamService } from './TeamService';

const EPSILON = 1e-9;

export interface UsageSettings {
  /** How many days back the first sync (and every run's window) reaches. */
  backfillDays: number;
  /** A day is final once it ended this long ago; until then every run refreshes it. */
  finalizeAfterMs: number;
  /** Days fetched from LiteLLM per request window. */
  windowDays: number;
  /** LiteLLM page size (≤ 1000). */
  pageSize: number;
}

export const DEFAULT_USAGE_SETTINGS: UsageSettings = {
  backfillDays: 365,
  finalizeAfterMs: 2 * 3600_000,
  windowDays: 31,
  pageSize: 1000,
};

/** The UTC calendar day (`YYYY-MM-DD`) of an instant. */
export function isoDate(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toISODate()!;
}

function utcDay(date: string): DateTime {
  return DateTime.fromISO(date, { zone: 'utc' });
}

function nextDay(date: string): string {
  return utcDay(date).plus({ days: 1 }).toISODate()!;
}

function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) out.push(d);
  return out;
}

interface Cell {
  date: string;
  hash: string;
  model: string;
  ok: number;
  failed: number;
  prompt: number;
  completion: number;
  spend: number;
}

interface KeyMeta {
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

export interface UsageServiceOptions {
  usage: UsageStore;
  teamStore: TeamStore;
  teams: TeamService;
  keys: KeyStore;
  litellm: LiteLLMApi;
  catalog: CatalogService;
  auth: AuthService;
  access: AccessService;
  audit: AuditService;
  currency: string;
  settings?: Partial<UsageSettings>;
  /** Runs after each scheduled or admin-triggered sync. */
  alerts?: { run(): Promise<number> };
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Usage: a sync of LiteLLM's daily activity into the `usage_daily` rollup (date × key ×
 * model) and the reports on it.
 *
 * Source: `/user/daily/activity` as admin without `user_id`, i.e. every daily row of
 * every user and of keys without a user (team keys), once each, so nothing is counted
 * twice. `/team/daily/activity` is only asked for cells the user activity lacks (LiteLLM
 * versions that write no user row for a key without a user), never summed on top.
 */
export class UsageService {
  readonly #o: UsageServiceOptions;
  readonly #s: UsageSettings;
  readonly #now: () => Date;

  constructor(options: UsageServiceOptions) {
    this.#o = options;
    this.#s = { ...DEFAULT_USAGE_SETTINGS, ...options.settings };
    this.#now = options.now ?? (() => new Date());
  }

  // ------------------------------------------------------------------ sync

  /**
   * Syncs every non-final day of the backfill window (or, with `force`, every day of the
   * given range). Past days become final once `finalizeAfterMs` passed; today is
   * refreshed on each run.
   */
  async sync(
    range?: { from: string; to: string },
    options: { force?: boolean } = {},
  ): Promise<UsageSyncReport> {
    const started = Date.now();
    const now = this.#now();
    const today = isoDate(now.getTime());
    const from =
      range?.from ??
      DateTime.fromJSDate(now, { zone: 'utc' })
        .minus({ days: this.#s.backfillDays })
        .toISODate()!;
    const to = range && range.to < today ? range.to : today;
    const report: UsageSyncReport = {
      from: null,
      to: null,
      days: 0,
      rows: 0,
      pages: 0,
      spend: 0,
      unattributedRows: 0,
      alertsSent: 0,
      durationMs: 0,
    };
    if (from > to) return { ...report, durationMs: Date.now() - started };
    const final = options.force
      ? new Set<string>()
      : await this.#o.usage.finalDays(from, to);
    const pending = datesBetween(from, to).filter(d => !final.has(d));
    const teamIds = new Map(
      (await this.#o.teamStore.list()).map(t => [t.litellmTeamId, t.ref]),
    );
    for (const window of windows(pending, this.#s.windowDays)) {
      const r = await this.#syncWindow(window, teamIds, now);
      report.from = report.from ?? window[0];
      report.to = window[window.length - 1];
      report.days += window.length;
      report.rows += r.rows;
      report.pages += r.pages;
      report.spend += r.spend;
      report.unattributedRows += r.unattributed;
    }
    report.durationMs = Date.now() - started;
    this.#o.logger.info('Synced LiteMaaS usage from LiteLLM', {
      ...report,
    } as any);
    return report;
  }

  async #walk(
    pages: AsyncGenerator<LiteLLMDailyActivityPage>,
    onDay: (day: LiteLLMDailyActivityDay) => void,
  ): Promise<number> {
    let count = 0;
    let last: LiteLLMDailyActivityPage | undefined;
    for await (const page of pages) {
      count++;
      last = page;
      for (const day of page.results) onDay(day);
    }
    if (last && last.metadata.has_more && last.results.length > 0) {
      // Stopped at the client's page cap: partial numbers must never become final.
      throw new ServiceUnavailableError(
        'LiteLLM daily activity has more pages than the client walks; sync a shorter window',
      );
    }
    return count;
  }

  async #syncWindow(
    dates: string[],
    teamIds: Map<string, string>,
    now: Date,
  ): Promise<{
    rows: number;
    pages: number;
    spend: number;
    unattributed: number;
  }> {
    const acc = new DailyActivityAccumulator();
    const start_date = dates[0];
    const end_date = dates[dates.length - 1];
    let pages = await this.#walk(
      this.#o.litellm.iterateUserDailyActivity({
        start_date,
        end_date,
        page_size: this.#s.pageSize,
      }),
      day => acc.addDay(day),
    );
    if (teamIds.size > 0) {
      // Cross-fill: team-key cells absent from user activity (never added twice).
      const fromUsers = new Set(acc.cells.keys());
      pages += await this.#walk(
        this.#o.litellm.iterateTeamDailyActivity({
          start_date,
          end_date,
          team_ids: [...teamIds.keys()],
          page_size: this.#s.pageSize,
        }),
        day =>
          acc.addDay(
            day,
            (hash, model) =>
              hash !== '' &&
              !fromUsers.has(
                `${day.date.slice(0, 10)}\u0001${hash}\u0001${model}`,
              ),
          ),
      );
    }
    const hashes = [
      ...new Set([...acc.cells.values()].map(c => c.hash)),
    ].filter(Boolean);
    const aliases = hashes
      .map(h => acc.keyMeta.get(h)?.alias)
      .filter((a): a is string => Boolean(a));
    const { byHash, byAlias } = await this.#o.usage.keyAttributions(
      hashes,
      aliases,
    );
    const rows: UsageDailyRow[] = [];
    const perDay = new Map<string, { rows: number; spend: number }>(
      dates.map(d => [d, { rows: 0, spend: 0 }]),
    );
    let unattributed = 0;
    let spend = 0;
    for (const cell of acc.cells.values()) {
      if (!perDay.has(cell.date)) continue; // LiteLLM answered a date we did not ask for
      const meta = acc.keyMeta.get(cell.hash) ?? {};
      const key =
        (cell.hash ? byHash.get(cell.hash) : undefined) ??
        (meta.alias ? byAlias.get(meta.alias) : undefined);
      const ownerRef = key?.ownerRef ?? null;
      const userRef =
        meta.userId ?? (ownerRef?.startsWith('user:') ? ownerRef : null);
      const teamRef = ownerRef?.startsWith('group:')
        ? ownerRef
        : (meta.teamId && teamIds.get(meta.teamId)) || null;
      if (!key) unattributed++;
      rows.push({
        date: cell.date,
        keyHash: cell.hash,
        model: cell.model,
        keyId: key?.id ?? null,
        ownerRef,
        userRef,
        teamRef,
        requestsOk: cell.ok,
        requestsFailed: cell.failed,
        promptTokens: cell.prompt,
        completionTokens: cell.completion,
        spend: cell.spend,
      });
      const d = perDay.get(cell.date)!;
      d.rows++;
      d.spend += cell.spend;
      spend += cell.spend;
    }
    await this.#o.usage.replaceDays(dates, rows);
    const finalBefore = now.getTime() - this.#s.finalizeAfterMs;
    await this.#o.usage.markDays(
      [...perDay.entries()].map(([date, d]) => ({ date, ...d })),
      date => utcDay(nextDay(date)).toMillis() <= finalBefore,
      now,
    );
    return { rows: rows.length, pages, spend, unattributed };
  }

  /** Admin: sync a date range again (past days included), now. */
  async resync(
    caller: Caller,
    body: UsageResyncRequest,
    request?: Request,
  ): Promise<UsageSyncReport> {
    return this.#o.audit.track(
      {
        actorRef: caller.userRef,
        action: 'usage.resync',
        targetType: 'usage',
        details: { ...body },
        request,
      },
      async () => {
        await this.#o.access.require(caller, litemaasAuditReadPermission);
        await this.#o.usage.unfinalize(body.from, body.to);
        return this.sync(body, { force: true });
      },
    );
  }

  /** The scheduled run: the sync, then the alerts on fresh numbers. */
  async runScheduled(): Promise<UsageSyncReport> {
    const report = await this.sync();
    report.alertsSent = (await this.#o.alerts?.run()) ?? 0;
    return report;
  }

  /** Admin: run the scheduled job now. */
  async syncNow(caller: Caller): Promise<UsageSyncReport> {
    await this.#o.access.require(caller, litemaasAuditReadPermission);
    return this.runScheduled();
  }

  // ------------------------------------------------------------------ reports

  /** The caller's usage and their teams'; never another user's rows. */
  async report(caller: Caller, query: UsageQuery): Promise<UsageReport> {
    const filter = await this.#scopedFilter(caller, query);
    return this.#report(filter, query);
  }

  /** Everyone's usage (admin). */
  async adminReport(
    caller: Caller,
    query: AdminUsageQuery,
  ): Promise<UsageReport> {
    await this.#o.access.require(caller, litemaasAuditReadPermission);
    return this.#report(this.#adminFilter(query), query);
  }

  async #report(filter: UsageFilter, query: UsageQuery): Promise<UsageReport> {
    const [{ groups, totals }, lastSyncedAt] = await Promise.all([
      this.#o.usage.report(filter, query.groupBy),
      this.#o.usage.lastSyncedAt(),
    ]);
    const names =
      query.groupBy === 'key'
        ? await this.#o.usage.keyNames(
            groups.map(g => g.group).filter((g): g is string => g !== null),
          )
        : new Map<string, string>();
    return {
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      currency: this.#o.currency,
      rows: groups.map(g => ({
        ...g,
        label: g.group === null ? null : names.get(g.group) ?? null,
      })),
      totals,
      lastSyncedAt,
    };
  }

  /** CSV of the detail rows (date × key × model), streamed page by page. */
  /**
   * The usage as CSV, one row per day, key and model, for the route to stream: access is
   * checked before anything is returned. Text cells that a spreadsheet would run as a
   * formula are prefixed with `'`.
   */
  async exportCsv(
    caller: Caller,
    query: UsageQuery | AdminUsageQuery,
    admin: boolean,
  ): Promise<{ filename: string; csv: Readable }> {
    let filter: UsageFilter;
    if (admin) {
      await this.#o.access.require(caller, litemaasAuditReadPermission);
      filter = this.#adminFilter(query);
    } else {
      filter = await this.#scopedFilter(caller, query);
    }
    const csv = usageCsv(this.#o.usage.iterate(filter));
    return {
      filename: `litemaas-usage-${query.from}-${query.to}.csv`,
      csv,
    };
  }

  #adminFilter(query: AdminUsageQuery | UsageQuery): UsageFilter {
    return {
      from: query.from,
      to: query.to,
      teamRef: query.team,
      keyId: query.key,
      model: query.model,
      ownerRef: query.entity,
      userRef: (query as AdminUsageQuery).user,
    };
  }

  /**
   * The rows a user may see: keys owned by them, by groups they belong to (LiteMaaS teams
   * only while the catalog still lists them), or by an entity they own when they ask for
   * it. Anything outside that scope is "not found", whatever the parameters.
   */
  async #scopedFilter(caller: Caller, query: UsageQuery): Promise<UsageFilter> {
    const groups = caller.ownershipRefs.filter(r => r.startsWith('group:'));
    const teams = new Set(
      (await this.#o.teamStore.getMany(groups)).map(t => t.ref),
    );
    const myTeams = new Set(await this.#o.teams.myTeamRefs(caller));
    const scope = new Set<string>([
      caller.userRef,
      ...groups.filter(g => !teams.has(g) || myTeams.has(g)),
    ]);
    const filter: UsageFilter = {
      from: query.from,
      to: query.to,
      model: query.model,
      ownerRefs: [...scope],
    };
    if (query.team) {
      if (!myTeams.has(query.team)) {
        throw new NotFoundError(`Team '${query.team}' not found`);
      }
      filter.teamRef = query.team;
    }
    const allowEntity = async (ref: string) => {
      if (scope.has(ref)) return;
      if (!(await this.#ownsEntity(caller, ref))) {
        throw new NotFoundError(`'${ref}' not found`);
      }
      filter.ownerRefs = [ref];
    };
    if (query.entity) {
      await allowEntity(query.entity);
      filter.ownerRef = query.entity;
    }
    if (query.key) {
      const key = await this.#o.keys.get(query.key);
      if (!key) throw new NotFoundError(`Key '${query.key}' not found`);
      await allowEntity(key.ownerRef).catch(() => {
        throw new NotFoundError(`Key '${query.key}' not found`);
      });
      filter.keyId = query.key;
    }
    return filter;
  }

  /** Whether a component, system (or other owned entity) is owned by the caller. */
  async #ownsEntity(caller: Caller, ref: string): Promise<boolean> {
    const kind = ref.slice(0, ref.indexOf(':'));
    if (kind === 'user' || kind === 'group') return false;
    let entity: Entity | undefined;
    try {
      entity = await this.#o.catalog.getEntityByRef(ref, {
        credentials: await this.#o.auth.getOwnServiceCredentials(),
      });
    } catch (error) {
      if (error instanceof LiteLLMError) throw error;
      return false;
    }
    if (!entity) return false;
    const owners = new Set(
      (entity.relations ?? [])
        .filter(r => r.type === 'ownedBy')
        .map(r => r.targetRef.toLocaleLowerCase('en-US')),
    );
    const specOwner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    if (typeof specOwner === 'string') {
      try {
        owners.add(
          stringifyEntityRef(
            parseEntityRef(specOwner, {
              defaultKind: 'group',
              defaultNamespace: entity.metadata.namespace ?? 'default',
            }),
          ).toLocaleLowerCase('en-US'),
        );
      } catch {
        // an unparsable owner owns nothing
      }
    }
    return caller.ownershipRefs.some(r =>
      owners.has(r.toLocaleLowerCase('en-US')),
    );
  }
}

function windows(dates: string[], size: number): string[][] {
  const out: string[][] = [];
  let run: string[] = [];
  for (const d of dates) {
    const prev = run[run.length - 1];
    if (run.length > 0 && (d !== nextDay(prev) || run.length >= size)) {
      out.push(run);
      run = [];
    }
    run.push(d);
  }
  if (run.length > 0) out.push(run);
  return out;
}

const CSV_COLUMNS = [
  { key: 'date', header: 'date' },
  { key: 'keyId', header: 'key_id' },
  { key: 'ownerRef', header: 'owner_ref' },
  { key: 'userRef', header: 'user_ref' },
  { key: 'teamRef', header: 'team_ref' },
  { key: 'model', header: 'model' },
  { key: 'requests', header: 'requests' },
  { key: 'requestsOk', header: 'successful_requests' },
  { key: 'requestsFailed', header: 'failed_requests' },
  { key: 'promptTokens', header: 'prompt_tokens' },
  { key: 'completionTokens', header: 'completion_tokens' },
  { key: 'totalTokens', header: 'total_tokens' },
  { key: 'spend', header: 'spend' },
];

/**
 * Usage rows as a CSV stream with a header line. Text cells that a spreadsheet would run
 * as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) are prefixed with `'`.
 */
export function usageCsv(rows: AsyncIterable<UsageDailyRow>): Readable {
  async function* records() {
    for await (const r of rows) {
      yield {
        ...r,
        keyId: r.keyId ?? '',
        ownerRef: r.ownerRef ?? '',
        userRef: r.userRef ?? '',
        teamRef: r.teamRef ?? '',
        requests: r.requestsOk + r.requestsFailed,
        totalTokens: r.promptTokens + r.completionTokens,
      };
    }
  }
  return Readable.from(records()).pipe(
    stringify({
      header: true,
      columns: CSV_COLUMNS,
      cast: { string: neutralizeFormula },
    }),
  );
}

/** A text cell a spreadsheet would run as a formula, made inert. */
function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
