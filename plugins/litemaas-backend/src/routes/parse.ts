import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

/**
 * Parses a request part (body, query, params) with a shared zod schema, or throws an
 * InputError (400) naming each bad field: never a 500 for bad input.
 */
export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const nul = pathOfNul(value);
  if (nul !== undefined) {
    throw new InputError(
      `Invalid ${what}: ${nul || 'value'}: must not contain a NUL character`,
    );
  }
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map(issue =>
        issue.path.length > 0
          ? `${issue.path.join('.')}: ${issue.message}`
          : issue.message,
      )
      .join('; ');
    throw new InputError(`Invalid ${what}: ${issues}`);
  }
  return parsed.data;
}

/**
 * Where a string with a NUL character sits in a request part (`''` for the part itself),
 * or undefined. PostgreSQL text cannot hold NUL, so such input is refused up front on
 * every engine rather than failing in the database.
 */
function pathOfNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string')
    return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = pathOfNul(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}
