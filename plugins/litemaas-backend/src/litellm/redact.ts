import { createHash } from 'node:crypto';

/**
 * Anything that looks like a LiteLLM key secret: `sk-` followed by the url-safe alphabet.
 * `sk-...abcd` (an already masked `key_name`) does not match because `.` is not in the class.
 */
const SECRET_PATTERN = /sk-[A-Za-z0-9_-]+/g;

/**
 * Masks a key secret to its public form, `sk-...` plus at most the last 4 characters
 * (the same form LiteLLM uses for `key_name`).
 *
 * @public
 */
export function maskLiteLLMKey(secret: string): string {
  const tail = secret.startsWith('sk-') ? secret.slice(3) : secret;
  return `sk-...${tail.slice(-4)}`;
}

/**
 * Replaces every key secret in a text with its masked form (`sk-...abcd`), and every
 * occurrence of the extra secrets (e.g. the master key, whatever its format) with
 * `[REDACTED]`.
 *
 * @public
 */
export function redactSecrets(
  text: string,
  extraSecrets: ReadonlyArray<string | undefined> = [],
): string {
  let out = text;
  for (const secret of extraSecrets) {
    if (secret && secret.length >= 4) {
      out = out.split(secret).join('[REDACTED]');
    }
  }
  return out.replace(SECRET_PATTERN, match => maskLiteLLMKey(match));
}

/**
 * LiteLLM's stable id of a virtual key: lowercase hex SHA-256 of the full key string.
 *
 * @public
 */
export function hashLiteLLMKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Turns a key reference (raw `sk-` secret or its hash) into the hash, following LiteLLM's
 * own rule (a value starting with `sk-` is hashed, anything else is taken as the hash).
 * The client only ever sends hashes for existing keys, so no secret travels in a URL or a
 * request body it does not need to.
 *
 * @public
 */
export function toLiteLLMKeyId(keyOrHash: string): string {
  return keyOrHash.startsWith('sk-') ? hashLiteLLMKey(keyOrHash) : keyOrHash;
}
