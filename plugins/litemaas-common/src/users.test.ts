import { updateUserLimitsRequestSchema } from './users';

describe('updateUserLimitsRequestSchema', () => {
  it('accepts overrides and null to remove one', () => {
    const body = {
      maxBudget: 50,
      budgetDuration: '1mo',
      tpmLimit: 10000,
      rpmLimit: null,
      maxKeys: 0,
    };
    expect(updateUserLimitsRequestSchema.parse(body)).toEqual(body);
  });

  it.each([
    [{}, 'nothing to update'],
    [{ maxBudget: 0 }, 'budget must be positive'],
    [{ maxBudget: '5' }, 'budget must be a number'],
    [{ tpmLimit: 1.5 }, 'limit must be a whole number'],
    [{ rpmLimit: -1 }, 'limit must be positive'],
    [{ maxKeys: 1001 }, 'maxKeys must be at most 1000'],
    [{ budgetDuration: 'monthly' }, 'budget duration must look like'],
    [{ entityRef: 'user:default/x' }, 'Unrecognized key'],
  ])('rejects %j', (body, message) => {
    const result = updateUserLimitsRequestSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.toString()).toContain(message);
  });
});
