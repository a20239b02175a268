import { ZodTypeAny } from 'zod/v3';
import {
  apiKeySchema,
  createdApiKeySchema,
  createKeyRequestSchema,
  rotateKeyRequestSchema,
  updateKeyRequestSchema,
} from './keys';

// Built at run time so no secret-looking literal sits in the sources.
const secret = `sk-${'Ab3'.repeat(10)}`;

/** The validation message of an input the schema rejects. */
function errorOf(schema: ZodTypeAny, input: unknown): string {
  const result = schema.safeParse(input);
  return result.success ? 'accepted' : result.error.toString();
}

describe('createKeyRequestSchema', () => {
  it('accepts a full request and normalises the owner ref', () => {
    const body = {
      name: ' checkout service ',
      models: ['openai/gpt-4o', 'vllm/llama-3.1:8b'],
      owner: 'Component:default/Checkout',
      maxBudget: 25.5,
      budgetDuration: '30d',
      tpmLimit: 10000,
      rpmLimit: 60,
      expiresAt: '2027-01-01T00:00:00.000Z',
      metadata: { 'team.name': 'payments', env: 'prod' },
    };
    expect(createKeyRequestSchema.parse(body)).toEqual({
      ...body,
      name: 'checkout service',
      owner: 'component:default/checkout',
    });
    expect(createKeyRequestSchema.parse({ name: 'k', models: ['m'] })).toEqual({
      name: 'k',
      models: ['m'],
    });
  });

  it.each(['1d', '7d', '30d', '45s', '15m', '12h', '2w', '1mo', '12mo'])(
    'accepts the budget duration %s',
    budgetDuration => {
      expect(
        createKeyRequestSchema.safeParse({
          name: 'k',
          models: ['m'],
          budgetDuration,
        }).success,
      ).toBe(true);
    },
  );

  const valid = { name: 'k', models: ['m'] };
  it.each([
    [{ models: ['m'] }, 'Required'],
    [{ ...valid, name: '  ' }, 'name must not be empty'],
    [
      { ...valid, name: 'n'.repeat(101) },
      'name must be at most 100 characters',
    ],
    [{ ...valid, name: `my ${secret}` }, 'name must not contain a key secret'],
    [{ ...valid, models: [] }, 'at least one model is required'],
    [{ ...valid, models: 'm' }, 'Expected array'],
    [{ ...valid, models: ['m', 'm'] }, 'models must not repeat'],
    [{ ...valid, models: [''] }, 'model id must not be empty'],
    [
      { ...valid, models: Array.from({ length: 51 }, (_, i) => `m${i}`) },
      'at most 50 models per key',
    ],
    [{ ...valid, owner: 'alice' }, 'must be an entity ref'],
    [
      { ...valid, owner: 'api:default/x' },
      'one of user, group, component, system',
    ],
    [{ ...valid, maxBudget: 0 }, 'budget must be positive'],
    [{ ...valid, maxBudget: -5 }, 'budget must be positive'],
    [{ ...valid, maxBudget: '10' }, 'budget must be a number'],
    [{ ...valid, maxBudget: 1e12 }, 'budget is too large'],
    [{ ...valid, budgetDuration: 'monthly' }, 'budget duration must look like'],
    [{ ...valid, budgetDuration: '0d' }, 'budget duration must look like'],
    [{ ...valid, budgetDuration: '1y' }, 'budget duration must look like'],
    [{ ...valid, budgetDuration: '30D' }, 'budget duration must look like'],
    [{ ...valid, tpmLimit: 0 }, 'limit must be positive'],
    [{ ...valid, rpmLimit: 2.5 }, 'limit must be a whole number'],
    [{ ...valid, expiresAt: '2027-01-01' }, 'ISO 8601'],
    [{ ...valid, expiresAt: 'never' }, 'ISO 8601'],
    [{ ...valid, metadata: { k: 1 } }, 'Expected string'],
    [{ ...valid, metadata: { 'bad key': 'v' } }, 'metadata keys use'],
    [{ ...valid, metadata: { k: 'v'.repeat(257) } }, 'at most 256 characters'],
    [
      {
        ...valid,
        metadata: Object.fromEntries(
          Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']),
        ),
      },
      'at most 20 metadata entries',
    ],
    [{ ...valid, metadata: { note: secret } }, 'metadata must not contain'],
    [{ ...valid, secret: 'x' }, 'Unrecognized key'],
    [{ ...valid, team_id: 'x' }, 'Unrecognized key'],
  ])('rejects %j', (body, message) => {
    expect(errorOf(createKeyRequestSchema, body)).toContain(message);
  });
});

describe('updateKeyRequestSchema', () => {
  it('accepts a partial update and null to remove limits', () => {
    const body = {
      name: 'renamed',
      models: ['m2'],
      maxBudget: null,
      budgetDuration: null,
      tpmLimit: 5,
      rpmLimit: null,
      expiresAt: null,
      metadata: {},
    };
    expect(updateKeyRequestSchema.parse(body)).toEqual(body);
    expect(updateKeyRequestSchema.parse({ tpmLimit: 1 })).toEqual({
      tpmLimit: 1,
    });
  });

  it.each([
    [{}, 'nothing to update'],
    [{ models: [] }, 'at least one model is required'],
    [{ models: null }, 'Expected array'],
    [{ name: null }, 'Expected string'],
    [{ tpmLimit: -1 }, 'limit must be positive'],
    [{ owner: 'user:default/bob' }, 'Unrecognized key'],
    [{ status: 'active' }, 'Unrecognized key'],
  ])('rejects %j', (body, message) => {
    expect(errorOf(updateKeyRequestSchema, body)).toContain(message);
  });
});

describe('rotateKeyRequestSchema', () => {
  it('accepts an optional grace period of up to 7 days', () => {
    expect(rotateKeyRequestSchema.parse({})).toEqual({});
    expect(rotateKeyRequestSchema.parse({ gracePeriodSeconds: 0 })).toEqual({
      gracePeriodSeconds: 0,
    });
    expect(
      rotateKeyRequestSchema.parse({ gracePeriodSeconds: 604800 }),
    ).toEqual({ gracePeriodSeconds: 604800 });
  });

  it.each([
    [{ gracePeriodSeconds: 604801 }, 'at most 7 days'],
    [{ gracePeriodSeconds: -1 }, 'must not be negative'],
    [{ gracePeriodSeconds: 1.5 }, 'must be a whole number'],
    [{ gracePeriodSeconds: '60' }, 'Expected number'],
    [{ models: ['m'] }, 'Unrecognized key'],
  ])('rejects %j', (body, message) => {
    expect(errorOf(rotateKeyRequestSchema, body)).toContain(message);
  });
});

describe('api key shapes', () => {
  it('keeps the secret only in the creation answer', () => {
    expect(Object.keys(apiKeySchema.shape)).not.toContain('secret');
    expect(Object.keys(createdApiKeySchema.shape)).toContain('secret');
  });
});
