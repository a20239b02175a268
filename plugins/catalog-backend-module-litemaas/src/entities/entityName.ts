/**
 * How LiteLLM model ids become catalog entity names and tags.
 *
 * Model ids are free text (`ibm-granite/granite-3.1-8b-instruct`, `llama3.2:3b`,
 * `meta-llama/Llama-3.3-70B-Instruct`, `anthropic.claude-3-5-sonnet-20241022-v2:0`);
 * entity names are at most 63 characters of `[a-z0-9]` separated by `-`, `_` or `.`
 * (the catalog compares them case-insensitively, so we only emit lower case).
 *
 * The mapping depends on the id alone, so the entity provider and the relations
 * processor agree without knowing each other's model lists, and a name never changes
 * when other models come or go.
 */

const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;
const HASH_SEPARATOR = '--';
const MAX_BASE_LENGTH = MAX_NAME_LENGTH - HASH_SEPARATOR.length - HASH_LENGTH;

/** A name the id can keep as-is: lower case, valid, and not shaped like a hashed name. */
const KEEPABLE_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
const HASHED_NAME_SUFFIX = new RegExp(
  `${HASH_SEPARATOR}[a-z0-9]{${HASH_LENGTH}}$`,
);

const MASK_64 = (BigInt(1) << BigInt(64)) - BigInt(1);
const FNV_OFFSET = BigInt('0xcbf29ce484222325');
const FNV_PRIME = BigInt('0x100000001b3');
const MIX_1 = BigInt('0xff51afd7ed558ccd');
const MIX_2 = BigInt('0xc4ceb9fe1a85ec53');
const SHIFT_33 = BigInt(33);
const HASH_MODULUS = BigInt(36) ** BigInt(HASH_LENGTH);

/**
 * A short, stable hash of a string: FNV-1a 64 over its UTF-8 bytes, finished with the
 * MurmurHash3 64-bit mixer, reduced to 8 base-36 characters (about 41 bits). Pure
 * JavaScript so the same function can run in the browser. Never change it: entity names
 * derive from it.
 *
 * @public
 */
export function stableHash(value: string): string {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(value)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK_64;
  }
  h ^= h >> SHIFT_33;
  h = (h * MIX_1) & MASK_64;
  h ^= h >> SHIFT_33;
  h = (h * MIX_2) & MASK_64;
  h ^= h >> SHIFT_33;
  return (h % HASH_MODULUS).toString(36).padStart(HASH_LENGTH, '0');
}

function trimSeparators(value: string): string {
  return value.replace(/^[-_.]+/, '').replace(/[-_.]+$/, '');
}

/**
 * The `metadata.name` of a model's `Resource` entity.
 *
 * - An id that already is a valid lower-case entity name of at most 63 characters (and
 *   does not end like a hashed name, `--` plus 8 characters) is kept as-is: `gpt-4o`,
 *   `gemini-2.0-flash`, `text-embedding-3-small`.
 * - Any other id is lower-cased, every run of characters outside `[a-z0-9._-]` becomes
 *   one `-`, runs of `-` collapse, separators are trimmed from both ends, the result is
 *   cut to 53 characters, and `--` plus {@link stableHash} of the original id is
 *   appended: `ibm-granite/granite-3.1-8b-instruct` becomes
 *   `ibm-granite-granite-3.1-8b-instruct--<hash>`.
 *
 * Kept names never end in `--xxxxxxxx` and hashed names always do, so two different ids
 * can only share a name if their hashes collide.
 *
 * @public
 */
export function modelEntityName(modelId: string): string {
  if (
    modelId.length <= MAX_NAME_LENGTH &&
    KEEPABLE_NAME.test(modelId) &&
    !HASHED_NAME_SUFFIX.test(modelId)
  ) {
    return modelId;
  }
  const base =
    trimSeparators(
      trimSeparators(
        modelId
          .toLowerCase()
          .replace(/[^a-z0-9._-]+/g, '-')
          .replace(/-{2,}/g, '-'),
      ).slice(0, MAX_BASE_LENGTH),
    ) || 'model';
  return `${base}${HASH_SEPARATOR}${stableHash(modelId)}`;
}

/**
 * A catalog tag made from free text (a provider or a capability), or `undefined` when
 * nothing usable is left: lower case, runs of characters outside `[a-z0-9:+#]` become
 * one `-` (`function_calling` becomes `function-calling`, `hosted_vllm` becomes
 * `hosted-vllm`), at most 63 characters.
 *
 * @public
 */
export function toTag(value: string): string | undefined {
  const tag = value
    .toLowerCase()
    .replace(/[^a-z0-9:+#]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  return tag || undefined;
}
