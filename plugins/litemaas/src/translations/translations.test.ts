import { litemaasTranslationRef } from './ref';
import es from './es';
import fr from './fr';

/** Flattens the nested English messages of the ref into dotted keys. */
function englishKeys(): string[] {
  const messages = (
    litemaasTranslationRef as any
  ).getDefaultMessages() as Record<string, string>;
  return Object.keys(messages).sort();
}

describe('translations', () => {
  it.each([
    ['es', es],
    ['fr', fr],
  ])('%s translates every English message', (_lang, resource) => {
    const keys = Object.keys(resource.messages).sort();
    expect(keys).toEqual(englishKeys());
    for (const value of Object.values(resource.messages)) {
      expect(value).toEqual(expect.any(String));
      expect(value).not.toBe('');
    }
  });
});
