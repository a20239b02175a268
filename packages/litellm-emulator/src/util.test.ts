import {
  keyName,
  maskKey,
  nextStandardizedReset,
  pyFloat,
  pyRepr,
  sha256Hex,
  toTokenHash,
  generateKey,
  addDuration,
} from './util';

const at = (s: string) => Date.parse(s);
const isoOf = (ms: number) => new Date(ms).toISOString();

describe('util', () => {
  it('generates LiteLLM-shaped keys and ids', () => {
    const k = generateKey();
    expect(k).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
    expect(k).toHaveLength(25);
    expect(toTokenHash(k)).toBe(sha256Hex(k));
    expect(toTokenHash(sha256Hex(k))).toBe(sha256Hex(k));
    expect(keyName(k)).toBe(`sk-...${k.slice(-4)}`);
    expect(maskKey('abcdefghwxyz')).toBe('abcd****wxyz');
  });

  it('formats floats and dicts like Python repr', () => {
    expect(pyFloat(5)).toBe('5.0');
    expect(pyFloat(0.00058)).toBe('0.00058');
    expect(pyFloat(0.00001)).toBe('1e-05');
    expect(pyFloat(1.5e-7)).toBe('1.5e-07');
    expect(pyFloat(1e16)).toBe('1e+16');
    expect(pyRepr({ error: 'No keys found' })).toBe(
      "{'error': 'No keys found'}",
    );
    expect(pyRepr(['a', "b'c"])).toBe(`['a', "b'c"]`);
    expect(pyRepr({ n: 2, x: null, ok: true })).toBe(
      "{'n': 2, 'x': None, 'ok': True}",
    );
  });

  it('computes standardized (calendar-aligned) budget resets in UTC', () => {
    const now = at('2025-06-11T13:47:12.345Z'); // a Wednesday
    expect(isoOf(nextStandardizedReset(now, '1d'))).toBe(
      '2025-06-12T00:00:00.000Z',
    );
    expect(isoOf(nextStandardizedReset(now, '7d'))).toBe(
      '2025-06-16T00:00:00.000Z',
    );
    expect(isoOf(nextStandardizedReset(now, '1w'))).toBe(
      '2025-06-16T00:00:00.000Z',
    );
    expect(isoOf(nextStandardizedReset(now, '30d'))).toBe(
      '2025-07-01T00:00:00.000Z',
    );
    expect(isoOf(nextStandardizedReset(now, '3d'))).toBe(
      '2025-06-14T00:00:00.000Z',
    );
    expect(isoOf(nextStandardizedReset(now, '1mo'))).toBe(
      '2025-07-01T00:00:00.000Z',
    );
    expect(isoOf(nextStandardizedReset(now, '6h'))).toBe(
      '2025-06-11T18:00:00.000Z',
    );
    expect(isoOf(nextStandardizedReset(now, '15m'))).toBe(
      '2025-06-11T14:00:00.000Z',
    );
    expect(isoOf(nextStandardizedReset(now, '30s'))).toBe(
      '2025-06-11T13:47:30.000Z',
    );
    expect(
      isoOf(nextStandardizedReset(at('2025-12-31T23:10:00Z'), '30d')),
    ).toBe('2026-01-01T00:00:00.000Z');
    expect(isoOf(nextStandardizedReset(at('2025-06-11T22:10:00Z'), '4h'))).toBe(
      '2025-06-12T00:00:00.000Z',
    );
  });

  it('adds exact durations (key expiry, rolling resets)', () => {
    const now = at('2025-01-31T10:00:00Z');
    expect(isoOf(addDuration(now, '30s'))).toBe('2025-01-31T10:00:30.000Z');
    expect(isoOf(addDuration(now, '2h'))).toBe('2025-01-31T12:00:00.000Z');
    expect(isoOf(addDuration(now, '1mo'))).toBe('2025-02-28T10:00:00.000Z');
    expect(() => addDuration(now, '5y')).toThrow(/Unsupported duration unit/);
  });
});
