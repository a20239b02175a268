import { periodStart } from './AlertService';

describe('periodStart: when a budget period that resets at a given time began', () => {
  it.each([
    // A month before the 31st is the last day of the shorter month, not the 3rd.
    ['2026-03-31T00:00:00.000Z', '1mo', '2026-02-28T00:00:00.000Z'],
    ['2028-03-31T12:00:00.000Z', '1mo', '2028-02-29T12:00:00.000Z'],
    ['2026-05-31T00:00:00.000Z', '1mo', '2026-04-30T00:00:00.000Z'],
    ['2026-01-31T00:00:00.000Z', '3mo', '2025-10-31T00:00:00.000Z'],
    ['2026-02-15T08:00:00.000Z', '1mo', '2026-01-15T08:00:00.000Z'],
    ['2026-03-10T00:00:00.000Z', '7d', '2026-03-03T00:00:00.000Z'],
    ['2026-03-10T00:00:00.000Z', '2w', '2026-02-24T00:00:00.000Z'],
    ['2026-03-10T12:00:00.000Z', '12h', '2026-03-10T00:00:00.000Z'],
    ['2026-03-10T00:30:00.000Z', '30m', '2026-03-10T00:00:00.000Z'],
    ['2026-03-10T00:00:30.000Z', '30s', '2026-03-10T00:00:00.000Z'],
  ])('%s minus %s is %s', (resetAt, duration, start) => {
    expect(periodStart(new Date(resetAt), duration)?.toISOString()).toBe(start);
  });

  it('knows nothing of a duration LiteLLM does not have', () => {
    expect(periodStart(new Date('2026-03-10T00:00:00Z'), 'monthly')).toBe(
      undefined,
    );
  });
});
