import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** A config value that counts something: a whole number above 0. */
export const wholePositive = z
  .number()
  .int('must be a whole number')
  .positive('must be greater than 0');

/** A config value that may be 0: a whole number, not negative. */
export const wholeNonNegative = z
  .number()
  .int('must be a whole number')
  .nonnegative('must not be negative');

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, k) =>
      v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : v,
    raw,
  );
}

/**
 * `raw`, the values read under the config key `prefix`, checked against `schema`. A bad
 * value stops with an `InputError` naming each offending key, the value found and what
 * it must be (a custom issue with `params.comparesFields` names two keys in its message
 * and shows no value).
 */
export function checkConfig<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  prefix: string,
): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(issue => {
    const key = [prefix, ...issue.path].join('.');
    return issue.code === 'custom' && issue.params?.comparesFields
      ? `${key} ${issue.message}`
      : `${key} ${issue.message}, got ${JSON.stringify(
          valueAt(raw, issue.path),
        )}`;
  });
  throw new InputError(
    `Invalid LiteMaaS configuration: ${problems.join('; ')}`,
  );
}
