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
