/**
 * The shape of a translation of an English message section: the same keys, any string.
 * Feature folders type their Spanish and French sections with it, so a missing key is a
 * type error (and `translations.test.ts` fails on it too).
 */
export type Translated<T> = {
  [K in keyof T]: T[K] extends string ? string : Translated<T[K]>;
};

/** Nested messages → the flat dotted keys `createTranslationMessages` takes. */
export function flattenMessages(
  messages: object,
  prefix = '',
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') {
      flat[path] = value;
    } else {
      Object.assign(flat, flattenMessages(value, path));
    }
  }
  return flat;
}
