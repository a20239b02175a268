import { makeValidator } from '@backstage/catalog-model';
import { emulatorDefaultModels } from '@litemaas/backstage-plugin-litemaas-backend/testUtils';
import { modelEntityName, stableHash, toTag } from './entityName';

const validator = makeValidator();

/** Names derived from the hash, pinned: they must never change. */
const PINNED = {
  granite: 'p9q9bvvj',
  llama: 'llama3.2-3b--eyax8xyq',
};

/** A small deterministic PRNG (mulberry32), so the "random" ids are the same each run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...'abcdefghijklmnopqrstuvwxyz',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...'0123456789',
  ...'/:._-/:.--__..',
  ' ',
  '@',
  '+',
  'é',
  'ß',
  '🙂',
  'İ',
];

/** Thousands of tricky ids: random ones and their case, separator and length variants. */
function trickyIds(): string[] {
  const random = prng(42);
  const ids = new Set<string>([
    'gpt-4o',
    'GPT-4o',
    'gpt-4O',
    'gpt/4o',
    'gpt:4o',
    'gpt.4o',
    'gpt_4o',
    'gpt--4o',
    'gpt-4o-',
    '-gpt-4o',
    'gpt-4o--abcdefgh',
    'gpt-4o--ABCDEFGH',
    `gpt-4o--${stableHash('gpt/4o')}`,
    'ibm-granite/granite-3.1-8b-instruct',
    'IBM-Granite/Granite-3.1-8B-Instruct',
    'ibm-granite:granite-3.1-8b-instruct',
    'meta-llama/Llama-3.3-70B-Instruct',
    'meta-llama/llama-3.3-70b-instruct',
    'meta-llama-llama-3.3-70b-instruct',
    'llama3.2:3b',
    'llama3.2/3b',
    'llama3.2-3b',
    'anthropic.claude-3-5-sonnet-20241022-v2:0',
    'anthropic.claude-3-5-sonnet-20241022-v2/0',
    '/',
    ':',
    '.',
    '--',
    'é',
    '🙂',
    'a',
    'A',
    'x'.repeat(63),
    'x'.repeat(64),
    'x'.repeat(255),
    `${'x'.repeat(255)}`.replace(/x$/, 'y'),
    `${'a/'.repeat(60)}b`,
    `${'a/'.repeat(60)}c`,
  ]);
  for (let n = 0; n < 4000; n++) {
    const length = 1 + Math.floor(random() ** 3 * 255);
    let id = '';
    for (let i = 0; i < length; i++) {
      id += ALPHABET[Math.floor(random() * ALPHABET.length)];
    }
    id = id.trim() || 'x';
    ids.add(id);
    // Variants that collide once lower-cased or sanitized.
    ids.add(id.toUpperCase());
    ids.add(id.toLowerCase());
    ids.add(id.replace(/\//g, ':'));
    ids.add(`${id}${'z'.repeat(70)}`);
    ids.add(`${id}${'z'.repeat(70)}q`);
  }
  return [...ids];
}

describe('modelEntityName', () => {
  it('keeps ids that already are valid lower-case names', () => {
    for (const id of [
      'gpt-4o',
      'gpt-4o-mini',
      'o3-mini',
      'gemini-2.0-flash',
      'text-embedding-3-small',
      'claude-3-5-sonnet',
      'mistral-large-latest',
    ]) {
      expect(modelEntityName(id)).toBe(id);
    }
  });

  it('sanitizes other ids readably and appends a hash of the original', () => {
    expect(modelEntityName('ibm-granite/granite-3.1-8b-instruct')).toBe(
      `ibm-granite-granite-3.1-8b-instruct--${stableHash(
        'ibm-granite/granite-3.1-8b-instruct',
      )}`,
    );
    expect(modelEntityName('llama3.2:3b')).toMatch(
      /^llama3\.2-3b--[a-z0-9]{8}$/,
    );
    expect(modelEntityName('meta-llama/Llama-3.3-70B-Instruct')).toMatch(
      /^meta-llama-llama-3\.3-70b-instruct--[a-z0-9]{8}$/,
    );
    expect(
      modelEntityName('anthropic.claude-3-5-sonnet-20241022-v2:0'),
    ).toMatch(/^anthropic\.claude-3-5-sonnet-20241022-v2-0--[a-z0-9]{8}$/);
    expect(modelEntityName('🙂')).toMatch(/^model--[a-z0-9]{8}$/);
  });

  it('never changes (names are persistent identifiers)', () => {
    // Pinned values: if this fails, every hashed entity name in every catalog changes.
    expect(stableHash('')).toBe('ikopmwx2');
    expect(stableHash('ibm-granite/granite-3.1-8b-instruct')).toBe(
      PINNED.granite,
    );
    expect(modelEntityName('llama3.2:3b')).toBe(PINNED.llama);
  });

  it('maps thousands of tricky ids to valid, unique and stable names', () => {
    const ids = trickyIds();
    expect(ids.length).toBeGreaterThan(15_000);
    const owner = new Map<string, string>();
    const invalid: string[] = [];
    const unstable: string[] = [];
    const collisions: string[] = [];
    for (const id of ids) {
      const name = modelEntityName(id);
      if (!validator.isValidEntityName(name) || name !== name.toLowerCase()) {
        invalid.push(`${id} -> ${name}`);
      }
      if (modelEntityName(id) !== name) unstable.push(id);
      const previous = owner.get(name);
      if (previous !== undefined && previous !== id) {
        collisions.push(`'${previous}' and '${id}' -> '${name}'`);
      }
      owner.set(name, id);
    }
    expect(invalid).toEqual([]);
    expect(unstable).toEqual([]);
    expect(collisions).toEqual([]);
    expect(owner.size).toBe(ids.length);
  });

  it('maps the emulator default models to distinct valid names', () => {
    const names = emulatorDefaultModels().map(m => modelEntityName(m.id));
    expect(new Set(names).size).toBe(names.length);
    expect(names.every(n => validator.isValidEntityName(n))).toBe(true);
  });
});

describe('toTag', () => {
  it('makes valid catalog tags', () => {
    expect(toTag('openai')).toBe('openai');
    expect(toTag('hosted_vllm')).toBe('hosted-vllm');
    expect(toTag('function_calling')).toBe('function-calling');
    expect(toTag('Vertex AI / Beta')).toBe('vertex-ai-beta');
    expect(toTag('c++')).toBe('c++');
    expect(toTag('___')).toBeUndefined();
    expect(toTag('')).toBeUndefined();
    const long = toTag(`${'a'.repeat(62)}_b`)!;
    expect(long).toBe('a'.repeat(62));
    for (const value of ['a_b', '-x-', 'ÉTÉ', 'a  b', 'x'.repeat(100)]) {
      const tag = toTag(value);
      expect(tag === undefined || validator.isValidTag(tag)).toBe(true);
    }
  });
});
