import { z } from 'zod/v3';
import { entityRefSchema, modelIdSchema } from './primitives';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC calendar date `YYYY-MM-DD`. @public */
export const usageDateSchema = z
  .string()
  .regex(DATE, 'must be a date like 2026-01-31')
  .refine(
    value => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)),
    'must be a valid date',
  );

/** How a usage report groups its rows. @public */
export const usageGroupBySchema = z.enum([
  'day',
  'model',
  'key',
  'user',
  'team',
  'entity',
]);

/** @public */
export type UsageGroupBy = z.infer<typeof usageGroupBySchema>;

/** The longest period one usage query may cover, in days. @public */
export const USAGE_MAX_RANGE_DAYS = 366;

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** The period of a usage query that names no dates: the last 30 days, today included. @public */
export const USAGE_DEFAULT_DAYS = 30;

/**
 * The fields of a usage query, before the default period and the range check of
 * {@link usageQuerySchema} (which takes it from here): a plain object schema, for callers
 * that describe the fields themselves (the MCP actions).
 *
 * @public
 */
export const usageQueryFieldsSchema = z
  .object({
    from: usageDateSchema.optional(),
    to: usageDateSchema.optional(),
    groupBy: usageGroupBySchema.default('day'),
    team: entityRefSchema(['group']).optional(),
    key: z.string().uuid('key must be a key id').optional(),
    model: modelIdSchema.optional(),
    entity: entityRefSchema([
      'user',
      'group',
      'component',
      'system',
      'resource',
      'api',
    ]).optional(),
  })
  .strict();

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Fills in a missing period: `to` is today (UTC), `from` the day that makes
 * {@link USAGE_DEFAULT_DAYS} days up to `to`.
 */
function withDefaultPeriod<T extends { from?: string; to?: string }>(
  q: T,
): T & { from: string; to: string } {
  const to = q.to ?? isoDay(Math.floor(Date.now() / 86_400_000));
  const from = q.from ?? isoDay(dayNumber(to) - (USAGE_DEFAULT_DAYS - 1));
  return { ...q, from, to };
}

function checkRange(
  q: { from: string; to: string },
  ctx: z.RefinementCtx,
): void {
  const span = dayNumber(q.to) - dayNumber(q.from);
  if (span < 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['to'],
      message: 'to must not be before from',
    });
  } else if (span >= USAGE_MAX_RANGE_DAYS) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['to'],
      message: `the period may cover at most ${USAGE_MAX_RANGE_DAYS} days`,
    });
  }
}

/**
 * Query of `GET /usage` (my usage and my teams'): dates are UTC and inclusive; without
 * them, the last {@link USAGE_DEFAULT_DAYS} days.
 *
 * @public
 */
export const usageQuerySchema = usageQueryFieldsSchema
  .transform(withDefaultPeriod)
  .superRefine(checkRange);

/** @public */
export type UsageQuery = z.infer<typeof usageQuerySchema>;

/**
 * Query of the admin `GET /admin/usage`: the same, plus any user.
 *
 * @public
 */
export const adminUsageQuerySchema = usageQueryFieldsSchema
  .extend({ user: entityRefSchema(['user']).optional() })
  .transform(withDefaultPeriod)
  .superRefine(checkRange);

/** @public */
export type AdminUsageQuery = z.infer<typeof adminUsageQuerySchema>;

/** Counters of a usage row or total. @public */
export const usageMetricsSchema = z.object({
  requests: z.number(),
  successfulRequests: z.number(),
  failedRequests: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  totalTokens: z.number(),
  spend: z.number(),
});

/** @public */
export type UsageMetrics = z.infer<typeof usageMetricsSchema>;

/**
 * One group of a usage report. `group` is the date, model, key id, user ref, team ref
 * or owner entity ref; null is the "unattributed" bucket (usage of keys LiteMaaS does
 * not know, kept so that totals always equal LiteLLM's).
 *
 * @public
 */
export const usageRowSchema = usageMetricsSchema.extend({
  group: z.string().nullable(),
  /** A readable name where one exists (the key's name). */
  label: z.string().nullable(),
});

/** @public */
export type UsageRow = z.infer<typeof usageRowSchema>;

/** @public */
export const usageReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: usageGroupBySchema,
  currency: z.string(),
  rows: z.array(usageRowSchema),
  totals: usageMetricsSchema,
  /** When the usage sync last finished; null before the first sync. */
  lastSyncedAt: z.string().nullable(),
});

/** @public */
export type UsageReport = z.infer<typeof usageReportSchema>;

/**
 * Body of the admin `POST /admin/usage/resync`: sync these dates again from LiteLLM.
 *
 * @public
 */
export const usageResyncRequestSchema = z
  .object({ from: usageDateSchema, to: usageDateSchema })
  .strict()
  .superRefine(checkRange);

/** @public */
export type UsageResyncRequest = z.infer<typeof usageResyncRequestSchema>;

/** What one usage sync did. @public */
export interface UsageSyncReport {
  from: string | null;
  to: string | null;
  days: number;
  rows: number;
  pages: number;
  spend: number;
  unattributedRows: number;
  alertsSent: number;
  durationMs: number;
}
