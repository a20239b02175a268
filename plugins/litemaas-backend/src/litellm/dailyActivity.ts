import {
  LiteLLMDailyActivityDay,
  LiteLLMDailyActivityPage,
  LiteLLMDailyActivityPageOptions,
  LiteLLMDailyActivityReport,
  LiteLLMDailyBreakdownEntry,
  LiteLLMDailyMetrics,
} from './types';

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const STANDARD_COUNTERS = [
  'spend',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
  'api_requests',
  'successful_requests',
  'failed_requests',
] as const;

/** A metrics object with every standard counter present (0 when missing), numbers only. */
export function emptyDailyMetrics(): LiteLLMDailyMetrics {
  const metrics = {} as LiteLLMDailyMetrics;
  for (const counter of STANDARD_COUNTERS) metrics[counter] = 0;
  return metrics;
}

/**
 * Every standard counter present (0 when missing), numbers only. Works in place on the
 * page just parsed (pages hold thousands of these: a copy each doubled the garbage).
 */
export function normalizeDailyMetrics(raw: unknown): LiteLLMDailyMetrics {
  if (!isRecord(raw)) return emptyDailyMetrics();
  const hasTotal =
    typeof raw.total_tokens === 'number' && Number.isFinite(raw.total_tokens);
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) delete raw[name];
  }
  for (const counter of STANDARD_COUNTERS) {
    if (raw[counter] === undefined) raw[counter] = 0;
  }
  const metrics = raw as LiteLLMDailyMetrics;
  if (!hasTotal) {
    metrics.total_tokens = metrics.prompt_tokens + metrics.completion_tokens;
  }
  return metrics;
}

/** In place, like the metrics. */
function normalizeEntry(raw: unknown): LiteLLMDailyBreakdownEntry {
  const entry: Raw = isRecord(raw) ? raw : {};
  entry.metrics = normalizeDailyMetrics(entry.metrics);
  if (!isRecord(entry.metadata)) entry.metadata = {};
  if (isRecord(entry.api_key_breakdown)) {
    entry.api_key_breakdown = normalizeEntries(entry.api_key_breakdown);
  }
  return entry as LiteLLMDailyBreakdownEntry;
}

function normalizeEntries(
  raw: Raw,
): Record<string, LiteLLMDailyBreakdownEntry> {
  for (const id of Object.keys(raw)) raw[id] = normalizeEntry(raw[id]);
  return raw as Record<string, LiteLLMDailyBreakdownEntry>;
}

/** The metrics of every metadata-only entry: read-only zeros, one object for all. */
const NO_METRICS: LiteLLMDailyMetrics = Object.freeze(emptyDailyMetrics());

/** In place: each entry keeps its metadata alone (its metrics read as zeros). */
function metadataOnlyEntries(
  raw: Raw,
): Record<string, LiteLLMDailyBreakdownEntry> {
  for (const id of Object.keys(raw)) {
    const entry = raw[id];
    raw[id] = {
      metrics: NO_METRICS,
      metadata:
        isRecord(entry) && isRecord(entry.metadata) ? entry.metadata : {},
    };
  }
  return raw as Record<string, LiteLLMDailyBreakdownEntry>;
}

function normalizeDay(
  raw: Raw,
  options: LiteLLMDailyActivityPageOptions = {},
): LiteLLMDailyActivityDay {
  const { breakdowns, metadataOnly } = options;
  const breakdown: LiteLLMDailyActivityDay['breakdown'] = {};
  if (isRecord(raw.breakdown)) {
    for (const [dimension, entries] of Object.entries(raw.breakdown)) {
      if (breakdowns && !breakdowns.includes(dimension)) continue;
      if (!isRecord(entries)) continue;
      breakdown[dimension] = metadataOnly?.includes(dimension)
        ? metadataOnlyEntries(entries)
        : normalizeEntries(entries);
    }
  }
  return {
    date: String(raw.date),
    metrics: normalizeDailyMetrics(raw.metrics),
    breakdown,
  };
}

/**
 * Normalizes one daily activity page (counters as numbers, paging fields always present),
 * keeping only the `breakdowns` dimensions when given, and only the metadata of the
 * `metadataOnly` ones.
 */
export function normalizeDailyActivityPage(
  raw: { results: Raw[]; metadata?: Raw | null },
  requestedPage: number,
  options?: LiteLLMDailyActivityPageOptions,
): LiteLLMDailyActivityPage {
  const metadata = raw.metadata ?? {};
  const page =
    typeof metadata.page === 'number' ? metadata.page : requestedPage;
  const totalPages =
    typeof metadata.total_pages === 'number' ? metadata.total_pages : page;
  const hasMore =
    typeof metadata.has_more === 'boolean'
      ? metadata.has_more
      : page < totalPages;
  return {
    results: raw.results.map(day => normalizeDay(day, options)),
    metadata: { ...metadata, page, total_pages: totalPages, has_more: hasMore },
  };
}

function addMetrics(
  a: LiteLLMDailyMetrics,
  b: LiteLLMDailyMetrics,
): LiteLLMDailyMetrics {
  const sum = { ...a };
  for (const [name, value] of Object.entries(b)) {
    sum[name] = (sum[name] ?? 0) + value;
  }
  return sum;
}

function mergeEntry(
  a: LiteLLMDailyBreakdownEntry,
  b: LiteLLMDailyBreakdownEntry,
): LiteLLMDailyBreakdownEntry {
  const merged: LiteLLMDailyBreakdownEntry = {
    ...a,
    ...b,
    metrics: addMetrics(a.metrics, b.metrics),
    metadata: { ...(a.metadata ?? {}), ...(b.metadata ?? {}) },
  };
  if (a.api_key_breakdown || b.api_key_breakdown) {
    merged.api_key_breakdown = mergeEntries(
      a.api_key_breakdown ?? {},
      b.api_key_breakdown ?? {},
    );
  }
  return merged;
}

function mergeEntries(
  a: Record<string, LiteLLMDailyBreakdownEntry>,
  b: Record<string, LiteLLMDailyBreakdownEntry>,
): Record<string, LiteLLMDailyBreakdownEntry> {
  const out = { ...a };
  for (const [id, entry] of Object.entries(b)) {
    out[id] = out[id] ? mergeEntry(out[id], entry) : entry;
  }
  return out;
}

function mergeDay(
  a: LiteLLMDailyActivityDay,
  b: LiteLLMDailyActivityDay,
): LiteLLMDailyActivityDay {
  const breakdown: LiteLLMDailyActivityDay['breakdown'] = { ...a.breakdown };
  for (const [dimension, entries] of Object.entries(b.breakdown)) {
    breakdown[dimension] = mergeEntries(
      breakdown[dimension] ?? {},
      entries ?? {},
    );
  }
  return {
    date: a.date,
    metrics: addMetrics(a.metrics, b.metrics),
    breakdown,
  };
}

/**
 * Merges daily activity pages. LiteLLM pages over raw daily rows, so one date can be split
 * across pages and the page `metadata.total_*` only cover their page: this sums per date
 * (metrics and every breakdown) and computes the totals over everything.
 *
 * @public
 */
export function mergeDailyActivityPages(
  pages: ReadonlyArray<LiteLLMDailyActivityPage>,
): LiteLLMDailyActivityReport {
  const byDate = new Map<string, LiteLLMDailyActivityDay>();
  for (const page of pages) {
    for (const day of page.results) {
      const existing = byDate.get(day.date);
      byDate.set(day.date, existing ? mergeDay(existing, day) : day);
    }
  }
  // newest first, like LiteLLM (ISO dates compare as strings)
  const results = [...byDate.values()].sort((x, y) =>
    y.date.localeCompare(x.date),
  );
  const totals = results.reduce(
    (sum, day) => addMetrics(sum, day.metrics),
    emptyDailyMetrics(),
  );
  return { results, totals, pages: pages.length };
}
