import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  litemaasAuditReadPermission,
  UsageResyncRequest,
  UsageSyncReport,
} from '@litemaas/backstage-plugin-litemaas-common';
import { DateTime } from 'luxon';
import { TeamStore } from '../database/TeamStore';
import { UsageDailyRow, UsageStore } from '../database/UsageStore';
import {
  LiteLLMApi,
  LiteLLMDailyActivityDay,
  LiteLLMDailyActivityPage,
} from '../litellm';
import { AccessService, Caller } from '../services/AccessService';
import { AuditService } from '../services/AuditService';
import { DailyActivityAccumulator } from './DailyActivityAccumulator';
import { datesBetween, isoDate, nextDay, utcDay, windows } from './days';

export interface UsageSettings {
  /** How many days back the first sync (and every run's window) reaches. */
  backfillDays: number;
  /** A day is final once it ended this long ago; until then every run refreshes it. */
  finalizeAfterMs: number;
  /**
   * Days fetched from LiteLLM per request window. A window's cells are held until it is
   * written (two windows at once: one written, one read), so this bounds the sync's memory.
   */
  windowDays: number;
  /** LiteLLM page size (≤ 1000). */
  pageSize: number;
  /** LiteLLM pages of one window fetched at once (after the first, which tells how many). */
  pageConcurrency: number;
}

export const DEFAULT_USAGE_SETTINGS: UsageSettings = {
  backfillDays: 365,
  finalizeAfterMs: 2 * 3600_000,
  windowDays: 7,
  pageSize: 1000,
  pageConcurrency: 3,
};

export interface UsageSyncServiceOptions {
  usage: UsageStore;
  teamStore: TeamStore;
  litellm: LiteLLMApi;
  access: AccessService;
  audit: AuditService;
  settings?: Partial<UsageSettings>;
  /** Runs after each scheduled or admin-triggered sync. */
  alerts?: { run(): Promise<number> };
  logger: LoggerService;
  now?: () => Date;
}

interface WindowResult {
  rows: number;
  pages: number;
  spend: number;
  unattributed: number;
}

/**
 * The only breakdowns the accumulator reads: key × model cells, and key metadata (the
 * keys' own counters repeat the cells').
 */
const BREAKDOWNS = {
  breakdowns: ['models', 'api_keys'],
  metadataOnly: ['api_keys'],
};

/**
 * The sync of LiteLLM's daily activity into the `usage_daily` rollup (date × key ×
 * model), scheduled and on an admin's request.
 *
 * Source: `/user/daily/activity` as admin without `user_id`, i.e. every daily row of
 * every user and of keys without a user (team keys), once each, so nothing is counted
 * twice. `/team/daily/activity` is only asked for cells the user activity lacks (LiteLLM
 * versions that write no user row for a key without a user), never summed on top.
 */
export class UsageSyncService {
  readonly #o: UsageSyncServiceOptions;
  readonly #s: UsageSettings;
  readonly #now: () => Date;

  constructor(options: UsageSyncServiceOptions) {
    this.#o = options;
    this.#s = { ...DEFAULT_USAGE_SETTINGS, ...options.settings };
    this.#now = options.now ?? (() => new Date());
  }

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
    // One window is written while the next is read from LiteLLM: the database and
    // LiteLLM work at the same time, and at most two windows are held in memory. Writes
    // run one after the other, so each adds its window to the report in order.
    let writing: Promise<void> | undefined;
    try {
      for (const window of windows(pending, this.#s.windowDays)) {
        const read = await this.#readWindow(window, teamIds);
        await writing;
        writing = this.#writeWindow(window, read, teamIds, now).then(r => {
          report.from = report.from ?? window[0];
          report.to = window[window.length - 1];
          report.days += window.length;
          report.rows += r.rows;
          report.pages += r.pages;
          report.spend += r.spend;
          report.unattributedRows += r.unattributed;
        });
        // Observed now, so a failed write never counts as an unhandled rejection while
        // the next window is read; the await above or below still throws its error.
        writing.catch(() => undefined);
      }
      await writing;
    } catch (error) {
      // A failed read waits for the write in flight: the run ends with nothing running.
      await writing?.catch(() => undefined);
      throw error;
    }
    report.durationMs = Date.now() - started;
    this.#o.logger.info('Synced LiteMaaS usage from LiteLLM', {
      ...report,
    } as any);
    return report;
  }

  /**
   * Every page of one daily activity query: the first tells how many there are, the rest
   * are fetched `pageConcurrency` at a time (their days are only summed, so order does
   * not matter).
   */
  async #pages(
    fetchPage: (page: number) => Promise<LiteLLMDailyActivityPage>,
    onDay: (day: LiteLLMDailyActivityDay) => void,
  ): Promise<number> {
    const first = await fetchPage(1);
    for (const day of first.results) onDay(day);
    const { has_more: hasMore, total_pages: totalPages } = first.metadata;
    const last = hasMore && first.results.length > 0 ? totalPages : 1;
    let next = 2;
    let tail = first;
    const worker = async () => {
      while (next <= last) {
        const n = next++;
        const page = await fetchPage(n);
        if (n === last) tail = page;
        for (const day of page.results) onDay(day);
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.min(this.#s.pageConcurrency, last - 1) },
        worker,
      ),
    );
    if (tail.metadata.has_more && tail.results.length > 0) {
      // LiteLLM says there is more than its page count: partial numbers must never become final.
      throw new ServiceUnavailableError(
        'LiteLLM daily activity has more pages than it counts; sync a shorter window',
      );
    }
    return last;
  }

  /** LiteLLM's daily activity of one window, summed into key × model cells. */
  async #readWindow(
    dates: string[],
    teamIds: Map<string, string>,
  ): Promise<{ acc: DailyActivityAccumulator; pages: number }> {
    const acc = new DailyActivityAccumulator();
    const start_date = dates[0];
    const end_date = dates[dates.length - 1];
    let pages = await this.#pages(
      page =>
        this.#o.litellm.getUserDailyActivityPage(
          { start_date, end_date, page, page_size: this.#s.pageSize },
          BREAKDOWNS,
        ),
      day => acc.addDay(day),
    );
    if (teamIds.size > 0) {
      // Cross-fill: team-key cells absent from user activity (never added twice).
      const fromUsers = new Set(acc.cells.keys());
      pages += await this.#pages(
        page =>
          this.#o.litellm.getTeamDailyActivityPage(
            {
              start_date,
              end_date,
              team_ids: [...teamIds.keys()],
              page,
              page_size: this.#s.pageSize,
            },
            BREAKDOWNS,
          ),
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
    return { acc, pages };
  }

  /** Attributes a window's cells to LiteMaaS keys and replaces its days in the rollup. */
  async #writeWindow(
    dates: string[],
    { acc, pages }: { acc: DailyActivityAccumulator; pages: number },
    teamIds: Map<string, string>,
    now: Date,
  ): Promise<WindowResult> {
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
  ): Promise<UsageSyncReport> {
    return this.#o.audit.trackCaller(
      caller,
      {
        action: 'usage.resync',
        targetType: 'usage',
        details: { ...body },
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
}
