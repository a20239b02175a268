import yaml from 'yaml';
import { createKeyExamples } from './createKey.examples';
import { ensureSubscriptionExamples } from './ensureSubscription.examples';

describe('action examples', () => {
  it.each([
    ['litemaas:key:create', createKeyExamples],
    ['litemaas:subscription:ensure', ensureSubscriptionExamples],
  ] as const)(
    '%s examples are valid YAML steps of the action',
    (id, examples) => {
      expect(examples.length).toBeGreaterThan(0);
      for (const { description, example } of examples) {
        expect(description).not.toBe('');
        const parsed = yaml.parse(example);
        expect(parsed.steps).toEqual(
          expect.arrayContaining([expect.objectContaining({ action: id })]),
        );
      }
    },
  );
});
