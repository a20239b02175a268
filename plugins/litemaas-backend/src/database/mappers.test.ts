import { chunk, escapeLike, toIso } from './mappers';

describe('mappers', () => {
  it('reads every timestamp form the engines return as ISO text', () => {
    const iso = '2026-03-04T05:06:07.089Z';
    expect(toIso(new Date(iso))).toBe(iso);
    expect(toIso(Date.parse(iso))).toBe(iso);
    expect(toIso(iso)).toBe(iso);
    // SQLite's CURRENT_TIMESTAMP is UTC without a zone marker.
    expect(toIso('2026-03-04 05:06:07')).toBe('2026-03-04T05:06:07.000Z');
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });

  it('splits lists into chunks', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 2)).toEqual([]);
  });
});
