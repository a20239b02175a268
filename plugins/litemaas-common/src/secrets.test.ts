import { InputError } from '@backstage/errors';
import {
  assertNoSecret,
  looksLikeSecret,
  REDACTED_SECRET,
  redactSecrets,
} from './secrets';

// Built at run time so no secret-looking literal sits in the sources.
const secret = (length = 24) => `sk-${'aZ9_-'.repeat(10).slice(0, length)}`;

describe('secrets', () => {
  it('recognises sk- followed by 20 or more token characters', () => {
    expect(looksLikeSecret(secret(20))).toBe(true);
    expect(looksLikeSecret(`Bearer ${secret(48)}.`)).toBe(true);
    expect(looksLikeSecret(secret(19))).toBe(false);
    expect(looksLikeSecret('sk-...abcd')).toBe(false);
    expect(looksLikeSecret('plain text')).toBe(false);
  });

  it('errs on the side of caution inside longer words', () => {
    const word = ['task', 'manager-for-everything-here'].join('-');
    expect(looksLikeSecret(word)).toBe(true);
  });

  it('gives the same answer on repeated calls', () => {
    const text = secret();
    expect([1, 2, 3].map(() => looksLikeSecret(text))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('redacts secrets anywhere in a value, keys included, without mutating it', () => {
    const value = {
      a: secret(),
      b: [1, `one ${secret()} two ${secret(30)}`, null, true],
      c: { d: { e: secret() } },
      [secret()]: 'key',
      when: new Date(0),
    };
    const copy = structuredClone(value);
    expect(redactSecrets(value)).toEqual({
      a: REDACTED_SECRET,
      b: [1, `one ${REDACTED_SECRET} two ${REDACTED_SECRET}`, null, true],
      c: { d: { e: REDACTED_SECRET } },
      [REDACTED_SECRET]: 'key',
      when: new Date(0),
    });
    expect(value).toEqual(copy);
    expect(redactSecrets('sk-...abcd')).toBe('sk-...abcd');
    expect(redactSecrets(undefined)).toBeUndefined();
  });

  it('refuses values holding a secret and names the field', () => {
    expect(() => assertNoSecret('metadata', { x: [secret()] })).toThrow(
      new InputError('metadata must not contain an API key secret'),
    );
    expect(() => assertNoSecret('name', secret())).toThrow(InputError);
    expect(() =>
      assertNoSecret('metadata', { team: 'payments', n: 1 }),
    ).not.toThrow();
    expect(() => assertNoSecret('name', undefined)).not.toThrow();
  });
});
