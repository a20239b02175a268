import { auditQuerySchema } from './audit';

describe('auditQuerySchema', () => {
  it('accepts filters, coerces the limit and defaults it', () => {
    expect(auditQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(
      auditQuerySchema.parse({
        actor: 'user:default/alice',
        action: 'key.create',
        targetType: 'key',
        targetId: 'abc',
        outcome: 'denied',
        from: '2026-01-01T00:00:00Z',
        to: '2026-01-31T00:00:00Z',
        limit: '20',
        cursor: '1234',
      }),
    ).toEqual({
      actor: 'user:default/alice',
      action: 'key.create',
      targetType: 'key',
      targetId: 'abc',
      outcome: 'denied',
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-31T00:00:00Z',
      limit: 20,
      cursor: '1234',
    });
  });

  it.each([
    [{ limit: '0' }, 'limit must be at least 1'],
    [{ limit: '500' }, 'limit must be at most 200'],
    [{ limit: 'all' }, 'limit must be a number'],
    [{ outcome: 'ok' }, 'Invalid enum value'],
    [{ from: 'yesterday' }, 'ISO 8601'],
    [
      { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      'from must not be after to',
    ],
    [{ cursor: 'abc' }, 'cursor must be a value from nextCursor'],
    [{ cursor: '0' }, 'cursor must be a value from nextCursor'],
    [{ actor: '' }, 'must not be empty'],
    [{ actor: 'a'.repeat(256) }, 'at most 255'],
    [{ offset: '10' }, 'Unrecognized key'],
  ])('rejects %j', (query, message) => {
    const result = auditQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.toString()).toContain(message);
  });
});
