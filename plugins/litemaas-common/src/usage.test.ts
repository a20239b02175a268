import { adminUsageQuerySchema, usageQuerySchema } from './usage';

function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

describe('usage queries', () => {
  it('mean the last 30 days, today included, without from and to', () => {
    const before = new Date().toISOString().slice(0, 10);
    const query = usageQuerySchema.parse({});
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(query.to);
    expect(query).toEqual({
      from: daysBefore(query.to, 29),
      to: query.to,
      groupBy: 'day',
    });
  });

  it('count 30 days back from a given to, and up to today from a given from', () => {
    expect(usageQuerySchema.parse({ to: '2026-03-01' })).toMatchObject({
      from: '2026-01-31',
      to: '2026-03-01',
    });
    const fromOnly = adminUsageQuerySchema.parse({ from: '2026-01-01' });
    expect(fromOnly.from).toBe('2026-01-01');
    expect(fromOnly.to >= '2026-01-01').toBe(true);
  });

  it('still refuses a period that ends before it starts', () => {
    const result = usageQuerySchema.safeParse({
      from: '2026-02-01',
      to: '2026-01-01',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('to must not be before from');
  });
});
