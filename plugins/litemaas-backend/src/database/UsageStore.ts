import {
  UsageGroupBy,
  UsageMetrics,
} from '@litemaas/backstage-plugin-litemaas-common';
import { Knex } from 'knex';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { chunk, DbNumber, DbTimestamp, toIsoOrNull } from './mappers';

const TABLE = 'litemaas_usage_daily';
const DAYS = 'litemaas_usage_sync_days';
/** Everyone's usage per day and model (keys summed), rewritten with each day. */
const MODEL_DAILY = 'litemaas_usage_model_daily';
const KEYS = 'litemaas_keys';
/** The filter fields the per-model summary can answer (any other set field needs the rows). */
const MODEL_DAILY_FILTERS: ReadonlySet<keyof UsageFilter> = new Set([
  'from',
  'to',
  'model',
] as const);

/** Serializes the replacements of days (PostgreSQL; released at commit or rollback). */
const REPLACE_LOCK = 'litemaas_usage_daily:replace';

/** The part of a node-postgres client `COPY` needs. */
interface PgConnection {
  query<T extends NodeJS.WritableStream>(stream: T): T;
}

/** One rollup row: a day × key × model. */
export interface UsageDailyRow {
  date: string;
  keyHash: string;
  model: string;
  keyId: string | null;
  ownerRef: string | null;
  userRef: string | null;
  teamRef: string | null;
  requestsOk: number;
  requestsFailed: number;
  promptTokens: number;
  completionTokens: number;
  spend: number;
}

/** Which rows a report or export covers. Every set field narrows. */
export interface UsageFilter {
  from: string;
  to: string;
  /** The caller's scope: only rows owned by one of these (never empty for users). */
  ownerRefs?: readonly string[];
  ownerRef?: string;
  teamRef?: string;
  keyId?: string;
  model?: string;
  userRef?: string;
}

export interface UsageGroup extends UsageMetrics {
  group: string | null;
}

/** What the sync needs to know about a LiteMaaS key. */
export interface KeyAttribution {
  id: string;
  ownerRef: string;
  alias: string;
  hash: string | null;
}

interface SumRow {
  grp?: string | null;
  ok: DbNumber | null;
  failed: DbNumber | null;
  prompt: DbNumber | null;
  completion: DbNumber | null;
  spend: DbNumber | null;
}

const GROUP_COLUMNS: Record<UsageGroupBy, string> = {
  day: 'date',
  model: 'model',
  key: 'key_id',
  user: 'user_ref',
  team: 'team_ref',
  entity: 'owner_ref',
};

function metrics(row: SumRow): UsageMetrics {
  const ok = Number(row.ok ?? 0);
  const failed = Number(row.failed ?? 0);
  const prompt = Number(row.prompt ?? 0);
  const completion = Number(row.completion ?? 0);
  return {
    requests: ok + failed,
    successfulRequests: ok,
    failedRequests: failed,
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: prompt + completion,
    spend: Number(row.spend ?? 0),
  };
}

function toDbRow(row: UsageDailyRow) {
  return {
    date: row.date,
    key_hash: row.keyHash,
    model: row.model,
    key_id: row.keyId,
    owner_ref: row.ownerRef,
    user_ref: row.userRef,
    team_ref: row.teamRef,
    requests_ok: row.requestsOk,
    requests_failed: row.requestsFailed,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    spend: row.spend,
  };
}

/** The rollup's columns and the row field each comes from, in `COPY` order. */
const COPY_COLUMNS: ReadonlyArray<
  [keyof ReturnType<typeof toDbRow>, keyof UsageDailyRow]
> = [
  ['date', 'date'],
  ['key_hash', 'keyHash'],
  ['model', 'model'],
  ['key_id', 'keyId'],
  ['owner_ref', 'ownerRef'],
  ['user_ref', 'userRef'],
  ['team_ref', 'teamRef'],
  ['requests_ok', 'requestsOk'],
  ['requests_failed', 'requestsFailed'],
  ['prompt_tokens', 'promptTokens'],
  ['completion_tokens', 'completionTokens'],
  ['spend', 'spend'],
];

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/** A value in `COPY`'s text format (`\N` is null; a number keeps a double's exact value). */
function copyValue(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return COPY_SPECIAL.test(value)
    ? value.replace(/[\\\t\n\r]/g, c => COPY_ESCAPES[c])
    : value;
}

/** The rows as `COPY` text, a few thousand lines per chunk. */
function* copyLines(rows: readonly UsageDailyRow[]): Generator<string> {
  for (const part of chunk(rows, 2000)) {
    let text = '';
    for (const row of part) {
      text += COPY_COLUMNS.map(([, field]) => copyValue(row[field])).join('\t');
      text += '\n';
    }
    yield text;
  }
}

/**
 * The rows grouped by owner (then LiteLLM user), each group in its given order: the
 * order the rollup's owner and user indexes are kept in. LiteLLM lists a day's rows
 * with the keys of many owners interleaved, so written as they come every row lands on
 * another page of those indexes (larger than a default `shared_buffers` at a million
 * rows); grouped, consecutive rows land on the same page. PostgreSQL spent about a
 * quarter less CPU on the same windows so (`bench/README.md`, usage).
 */
export function inIndexOrder(
  rows: readonly UsageDailyRow[],
): readonly UsageDailyRow[] {
  const groups = new Map<string, UsageDailyRow[]>();
  for (const row of rows) {
    const id = `${row.ownerRef ?? ''}\u0001${row.userRef ?? ''}`;
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return [...groups.values()].flat();
}

/**
 * The per-model summary rows of `rows` (one per day and model, keys summed), summed
 * here from the rows about to be written rather than by the database reading them back
 * (an `insert … select … group by` after the `COPY` visited every row of the window
 * again, and the re-sync's dead rows with them). Measured alone on a million rows'
 * windows: PostgreSQL's CPU 10% lower for a first sync, 6% for a re-sync
 * (`bench/README.md`, usage).
 */
function modelDaily(rows: readonly UsageDailyRow[]) {
  const sums = new Map<
    string,
    {
      date: string;
      model: string;
      requests_ok: number;
      requests_failed: number;
      prompt_tokens: number;
      completion_tokens: number;
      spend: number;
    }
  >();
  for (const r of rows) {
    const id = `${r.date}\u0001${r.model}`;
    const s = sums.get(id);
    if (s) {
      s.requests_ok += r.requestsOk;
      s.requests_failed += r.requestsFailed;
      s.prompt_tokens += r.promptTokens;
      s.completion_tokens += r.completionTokens;
      s.spend += r.spend;
    } else {
      sums.set(id, {
        date: r.date,
        model: r.model,
        requests_ok: r.requestsOk,
        requests_failed: r.requestsFailed,
        prompt_tokens: r.promptTokens,
        completion_tokens: r.completionTokens,
        spend: r.spend,
      });
    }
  }
  return [...sums.values()];
}

/**
 * PostgreSQL: the rows streamed into the rollup with `COPY`, in the transaction that has
 * just deleted their days. `COPY` reads its text format at a fraction of the cost of a
 * JSON parameter (`json_to_recordset`: about half of PostgreSQL's time per row), nothing
 * is sent a row or a statement at a time, and, with the days emptied under the
 * replacement lock, no row can conflict: no staging table and no `on conflict` check
 * (which took as long as the insert itself: 170 ms against 90 ms for 5,700 rows).
 */
async function insertByCopy(
  tx: Knex.Transaction,
  rows: readonly UsageDailyRow[],
): Promise<void> {
  const columns = COPY_COLUMNS.map(([column]) => column).join(', ');
  // In a transaction, knex answers the transaction's own connection.
  const connection: PgConnection = await tx.client.acquireConnection();
  await pipeline(
    Readable.from(copyLines(rows)),
    connection.query(copyFrom(`copy ${TABLE} (${columns}) from stdin`)),
  );
}

/** The daily usage rollup and the bookkeeping of which days are synced. */
export class UsageStore {
  constructor(private readonly db: Knex) {}

  /** LiteMaaS keys by LiteLLM token hash and by alias (revoked and rotated ones too). */
  async keyAttributions(
    hashes: readonly string[],
    aliases: readonly string[],
  ): Promise<{
    byHash: Map<string, KeyAttribution>;
    byAlias: Map<string, KeyAttribution>;
  }> {
    const byHash = new Map<string, KeyAttribution>();
    const byAlias = new Map<string, KeyAttribution>();
    const add = (rows: any[]) => {
      for (const r of rows) {
        const k: KeyAttribution = {
          id: r.id,
          ownerRef: r.owner_ref,
          alias: r.litellm_alias,
          hash: r.litellm_key_hash,
        };
        if (k.hash) byHash.set(k.hash, k);
        byAlias.set(k.alias, k);
      }
    };
    const cols = ['id', 'owner_ref', 'litellm_alias', 'litellm_key_hash'];
    for (const part of chunk(hashes)) {
      add(await this.db(KEYS).select(cols).whereIn('litellm_key_hash', part));
    }
    for (const part of chunk(aliases)) {
      add(await this.db(KEYS).select(cols).whereIn('litellm_alias', part));
    }
    return { byHash, byAlias };
  }

  /**
   * Replaces the rows of the given dates with `rows` in one transaction (rows of other
   * dates are refused), and the dates' per-model summary with their sums. Replacements
   * wait for each other (PostgreSQL: a transaction-scoped advisory lock taken before the
   * delete; SQLite runs one write transaction at a time), so a concurrent replacement of
   * the same day by another run or replica never fails on the primary key: the later one
   * deletes what the earlier one wrote, then writes.
   */
  async replaceDays(
    dates: readonly string[],
    rows: readonly UsageDailyRow[],
  ): Promise<void> {
    const wanted = new Set(dates);
    if (rows.some(r => !wanted.has(r.date))) {
      throw new Error('A usage row falls outside the dates being replaced');
    }
    await this.db.transaction(async tx => {
      const pg = String(tx.client.config.client).includes('pg');
      if (pg) {
        await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
          REPLACE_LOCK,
        ]);
      }
      for (const part of chunk(dates)) {
        await tx(TABLE).whereIn('date', part).delete();
        await tx(MODEL_DAILY).whereIn('date', part).delete();
      }
      if (pg) {
        if (rows.length > 0) await insertByCopy(tx, inIndexOrder(rows));
      } else {
        // 12 columns per row: 80 rows stay well under SQLite's bound-parameter limit.
        for (const part of chunk(inIndexOrder(rows), 80)) {
          await tx(TABLE).insert(part.map(toDbRow));
        }
      }
      // 7 columns per row: 100 rows stay under SQLite's bound-parameter limit.
      for (const part of chunk(modelDaily(rows), 100)) {
        await tx(MODEL_DAILY).insert(part);
      }
    });
  }

  /** Records days as synced (and final or not). */
  async markDays(
    days: ReadonlyArray<{ date: string; rows: number; spend: number }>,
    final: (date: string) => boolean,
    at: Date,
  ): Promise<void> {
    for (const part of chunk(days, 100)) {
      await this.db(DAYS)
        .insert(
          part.map(d => ({
            date: d.date,
            final: final(d.date),
            rows: d.rows,
            spend: d.spend,
            synced_at: at,
          })),
        )
        .onConflict('date')
        .merge();
    }
  }

  /** Dates between `from` and `to` (inclusive) already synced and final. */
  async finalDays(from: string, to: string): Promise<Set<string>> {
    const dates: string[] = await this.db(DAYS)
      .where('date', '>=', from)
      .where('date', '<=', to)
      .where({ final: true })
      .pluck('date');
    return new Set(dates);
  }

  /** Makes days sync again on the next run (admin re-sync). */
  async unfinalize(from: string, to: string): Promise<void> {
    await this.db(DAYS)
      .where('date', '>=', from)
      .where('date', '<=', to)
      .update({ final: false });
  }

  async lastSyncedAt(): Promise<string | null> {
    const row = await this.db(DAYS)
      .max<{ at: DbTimestamp | null }[]>({ at: 'synced_at' })
      .first();
    return toIsoOrNull(row?.at ?? null);
  }

  #filtered(filter: UsageFilter, table = TABLE): Knex.QueryBuilder {
    const q = this.db(table)
      .where('date', '>=', filter.from)
      .where('date', '<=', filter.to);
    if (filter.ownerRefs) q.whereIn('owner_ref', [...filter.ownerRefs]);
    if (filter.ownerRef) q.where('owner_ref', filter.ownerRef);
    if (filter.teamRef) q.where('team_ref', filter.teamRef);
    if (filter.keyId) {
      // The sync writes a key's rows with its owner, which never changes: asking for the
      // owner too lets the owner index find them (the rollup has no key index, which
      // every synced row would have to be added to).
      q.where('key_id', filter.keyId).where(
        'owner_ref',
        this.db(KEYS).select('owner_ref').where('id', filter.keyId),
      );
    }
    if (filter.model) q.where('model', filter.model);
    if (filter.userRef) q.where('user_ref', filter.userRef);
    return q;
  }

  #sums(q: Knex.QueryBuilder): Knex.QueryBuilder {
    return q
      .sum({ ok: 'requests_ok' })
      .sum({ failed: 'requests_failed' })
      .sum({ prompt: 'prompt_tokens' })
      .sum({ completion: 'completion_tokens' })
      .sum({ spend: 'spend' });
  }

  /**
   * The rows of a report's query (its group, then the {@link UsageStore.#sums} columns).
   * On PostgreSQL they are fetched as arrays: node-postgres builds an object row by
   * copying a template and assigning each column by name, code every query of the
   * backend shares (the catalog's too), and in the backend that cost up to 20 µs a row,
   * erratically: a user's year by day (365 rows) took 9.6-11.0 ms of the backend's CPU
   * per request that way and 4.2-4.6 ms as arrays, by model (20 rows) about 3 ms either
   * way (`bench/README.md`, usage).
   */
  async #sumRows(query: Knex.QueryBuilder): Promise<SumRow[]> {
    if (!String(this.db.client.config.client).includes('pg')) return query;
    const rows = (await query.options({
      rowMode: 'array',
    })) as unknown as Array<
      [string | null, DbNumber, DbNumber, DbNumber, DbNumber, DbNumber]
    >;
    return rows.map(([grp, ok, failed, prompt, completion, spend]) => ({
      grp,
      ok,
      failed,
      prompt,
      completion,
      spend,
    }));
  }

  /** Usage grouped by one dimension, ordered by the group, plus the totals. */
  async report(
    filter: UsageFilter,
    groupBy: UsageGroupBy,
  ): Promise<{ groups: UsageGroup[]; totals: UsageMetrics }> {
    const column = GROUP_COLUMNS[groupBy];
    // Everyone's usage by day or by model, narrowed by a model at most, is the same sum
    // over the per-model summary: one row per day and model instead of one per key.
    const summary =
      (groupBy === 'day' || groupBy === 'model') &&
      Object.entries(filter).every(
        ([field, value]) =>
          value === undefined ||
          MODEL_DAILY_FILTERS.has(field as keyof UsageFilter),
      );
    const query = this.#sums(
      this.#filtered(filter, summary ? MODEL_DAILY : TABLE).select({
        grp: column,
      }),
    )
      .groupBy(column)
      .orderBy(column, 'asc');
    const rows = await this.#sumRows(query);
    const groups = rows.map(r => ({ group: r.grp ?? null, ...metrics(r) }));
    // The totals are the groups' sum: one pass over the rows, not a second query.
    const totals = metrics({} as SumRow);
    for (const g of groups) {
      for (const k of Object.keys(totals) as (keyof UsageMetrics)[]) {
        totals[k] += g[k];
      }
    }
    return { groups, totals };
  }

  /** Names of keys, for labels. */
  async keyNames(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunk(ids)) {
      const rows = await this.db(KEYS).select('id', 'name').whereIn('id', part);
      for (const r of rows) out.set(r.id, r.name);
    }
    return out;
  }

  /**
   * The detail rows of a filter in (date, key, model) order, fetched page by page
   * (keyset pagination): an export never holds more than one page in memory, and each
   * page starts where the last one ended.
   */
  async *iterate(
    filter: UsageFilter,
    pageSize = 2000,
  ): AsyncGenerator<UsageDailyRow> {
    let after: [string, string, string] | undefined;
    for (;;) {
      const q = this.#filtered(filter)
        .select('*')
        .orderBy([
          { column: 'date', order: 'asc' },
          { column: 'key_hash', order: 'asc' },
          { column: 'model', order: 'asc' },
        ])
        .limit(pageSize);
      // A row-value comparison, which PostgreSQL starts the primary key's index scan at
      // (SQLite at least at its date). Spelled as `date > d or (date = d and …)` it was
      // only a filter on PostgreSQL: each page scanned every row before it again (a
      // million rows' export took 238 s in the usage bench, 1 s a page by its end).
      if (after) q.whereRaw('(date, key_hash, model) > (?, ?, ?)', after);
      const rows: any[] = await q;
      for (const r of rows) {
        yield {
          date: r.date,
          keyHash: r.key_hash,
          model: r.model,
          keyId: r.key_id,
          ownerRef: r.owner_ref,
          userRef: r.user_ref,
          teamRef: r.team_ref,
          requestsOk: Number(r.requests_ok),
          requestsFailed: Number(r.requests_failed),
          promptTokens: Number(r.prompt_tokens),
          completionTokens: Number(r.completion_tokens),
          spend: Number(r.spend),
        };
      }
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = [last.date, last.key_hash, last.model];
    }
  }
}
