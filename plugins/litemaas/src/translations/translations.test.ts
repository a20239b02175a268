import { litemaasTranslationRef } from './ref';
import es from './es';
import fr from './fr';

/** The English messages of the ref, as flat dotted keys. */
function english(): Record<string, string> {
  return (litemaasTranslationRef as any).getDefaultMessages();
}

const placeholders = (text: string) =>
  [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map(m => m[1]).sort();

describe('translations', () => {
  it.each([
    ['es', es],
    ['fr', fr],
  ])('%s translates every English message', (_lang, resource) => {
    const messages = resource.messages as Record<string, string>;
    expect(Object.keys(messages).sort()).toEqual(Object.keys(english()).sort());
    for (const value of Object.values(messages)) {
      expect(value).toEqual(expect.any(String));
      expect(value).not.toBe('');
    }
  });

  it.each([
    ['es', es],
    ['fr', fr],
  ])('%s keeps every placeholder of the English message', (_lang, resource) => {
    const messages = resource.messages as Record<string, string>;
    for (const [key, text] of Object.entries(english())) {
      expect([key, placeholders(messages[key] ?? '')]).toEqual([
        key,
        placeholders(text),
      ]);
    }
  });
});
