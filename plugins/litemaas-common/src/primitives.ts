import { z } from 'zod/v3';
import { looksLikeSecret } from './secrets';

/**
 * A LiteLLM model name: 1 to 255 characters, may contain `/`, `:` and `.`, no leading
 * or trailing whitespace.
 *
 * @public
 */
export const modelIdSchema = z
  .string({ required_error: 'model id is required' })
  .min(1, 'model id must not be empty')
  .max(255, 'model id must be at most 255 characters')
  .regex(/^\S(.*\S)?$/, 'model id must not start or end with whitespace');

const ENTITY_REF_PATTERN = /^([a-z]+):([a-z0-9._-]+)\/([a-z0-9._-]+)$/i;

/**
 * The one form of an entity ref that LiteMaaS stores and compares: lower-cased the way
 * the catalog compares refs (`user:default/Alice` and `user:default/alice` are the same
 * user). Every ref from a token, a request or the catalog goes through this.
 *
 * @public
 */
export function normalizeEntityRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/**
 * A full Backstage entity ref (`kind:namespace/name`) of one of the given kinds,
 * lower-cased so it compares with the ownership refs Backstage gives.
 *
 * @public
 */
export function entityRefSchema(kinds: readonly string[]) {
  return z
    .string()
    .max(255, 'entity ref must be at most 255 characters')
    .regex(ENTITY_REF_PATTERN, 'must be an entity ref like kind:namespace/name')
    .transform(normalizeEntityRef)
    .refine(ref => kinds.includes(ref.slice(0, ref.indexOf(':'))), {
      message: `entity ref kind must be one of ${kinds.join(', ')}`,
    });
}

/**
 * Seconds of a LiteLLM duration (`30s`, `5m`, `12h`, `1d`, `2w`, `1mo`), a month counted
 * as 30 days; undefined when it is not one.
 *
 * @public
 */
export function budgetPeriodSeconds(duration: string): number | undefined {
  const m = /^([1-9]\d*)(s|m|h|d|w|mo)$/.exec(duration);
  if (!m) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, mo: 2_592_000 }[
    m[2] as 's' | 'm' | 'h' | 'd' | 'w' | 'mo'
  ];
  return Number(m[1]) * unit;
}

/**
 * A LiteLLM budget period such as `30s`, `12h`, `1d`, `7d`, `30d`, `2w` or `1mo`.
 *
 * @public
 */
export const budgetDurationSchema = z
  .string()
  .regex(
    /^[1-9]\d{0,5}(s|m|h|d|w|mo)$/,
    'budget duration must look like 1d, 7d, 30d, 12h or 1mo',
  );

/** A positive budget in the proxy's currency. @public */
export const maxBudgetSchema = z
  .number({ invalid_type_error: 'budget must be a number' })
  .positive('budget must be positive')
  .max(1_000_000_000, 'budget is too large');

/** A positive whole number of tokens or requests per minute. @public */
export const rateLimitSchema = z
  .number({ invalid_type_error: 'limit must be a number' })
  .int('limit must be a whole number')
  .positive('limit must be positive')
  .max(1_000_000_000, 'limit is too large');

/** An ISO 8601 date-time with a time zone, e.g. `2027-01-31T00:00:00Z`. @public */
export const isoDateTimeSchema = z.string().datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with a time zone',
});

/** Free text written by a person (justification, reason): trimmed, 1 to 1000 characters. @public */
export const reasonTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(1000, 'must be at most 1000 characters')
  .refine(text => !looksLikeSecret(text), 'must not contain an API key secret');

/** A page size for list queries given as a query string. @public */
export const pageLimitSchema = z.coerce
  .number({ invalid_type_error: 'limit must be a number' })
  .int('limit must be a whole number')
  .min(1, 'limit must be at least 1')
  .max(200, 'limit must be at most 200');

/** An offset for list queries given as a query string. @public */
export const pageOffsetSchema = z.coerce
  .number({ invalid_type_error: 'offset must be a number' })
  .int('offset must be a whole number')
  .min(0, 'offset must not be negative')
  .max(1_000_000, 'offset is too large');

/**
 * A `'true'`/`'false'` query string parameter (or the boolean the OpenAPI validator
 * already made of it), as a boolean.
 *
 * @public
 */
export const booleanQuerySchema = z.union(
  [z.boolean(), z.enum(['true', 'false']).transform(value => value === 'true')],
  { errorMap: () => ({ message: "must be 'true' or 'false'" }) },
);
