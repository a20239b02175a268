import { InputError } from '@backstage/errors';

// A LiteLLM key secret: "sk-" followed by 20 or more token characters.
const SECRET_PATTERN = /sk-[A-Za-z0-9_-]{20,}/g;

/** Text that replaces a secret in {@link redactSecrets}. @public */
export const REDACTED_SECRET = 'sk-[REDACTED]';

/**
 * True when the text holds something that looks like an API key secret.
 *
 * @public
 */
export function looksLikeSecret(text: string): boolean {
  return new RegExp(SECRET_PATTERN.source).test(text);
}

/**
 * Returns a deep copy of a JSON-like value in which every string (object keys included)
 * that holds something looking like an API key secret has it replaced by
 * {@link REDACTED_SECRET}.
 *
 * @public
 */
export function redactSecrets<T>(value: T): T {
  return redact(value) as T;
}

function redact(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(SECRET_PATTERN, REDACTED_SECRET);
  }
  if (Array.isArray(value)) {
    return value.map(redact);
  }
  if (value instanceof Date) {
    return value;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [redact(k), redact(v)]),
    );
  }
  return value;
}

/**
 * Throws an InputError naming the field when any string inside the value (object keys
 * included) looks like an API key secret. Used where a secret must never be stored.
 *
 * @public
 */
export function assertNoSecret(field: string, value: unknown): void {
  if (JSON.stringify(redactSecrets(value)) !== JSON.stringify(value)) {
    throw new InputError(`${field} must not contain an API key secret`);
  }
}
