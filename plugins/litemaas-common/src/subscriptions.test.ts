import { ZodTypeAny } from 'zod/v3';
import {
  approveSubscriptionRequestSchema,
  createSubscriptionRequestSchema,
  denySubscriptionRequestSchema,
  isSubscriptionTransitionAllowed,
  listSubscriptionsQuerySchema,
  SUBSCRIPTION_STATUSES,
} from './subscriptions';

// Built at run time so no secret-looking literal sits in the sources.
const secret = `sk-${'q'.repeat(30)}`;

/** The validation message of an input the schema rejects. */
function errorOf(schema: ZodTypeAny, input: unknown): string {
  const result = schema.safeParse(input);
  return result.success ? 'accepted' : result.error.toString();
}

describe('subscription transitions', () => {
  it('allows exactly the documented changes', () => {
    const allowed = SUBSCRIPTION_STATUSES.flatMap(from =>
      SUBSCRIPTION_STATUSES.filter(to =>
        isSubscriptionTransitionAllowed(from, to),
      ).map(to => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'pending->active',
        'pending->denied',
        'pending->cancelled',
        'active->cancelled',
        'active->expired',
        'active->denied',
        'active->pending',
        'denied->pending',
        'cancelled->active',
        'cancelled->pending',
        'expired->active',
        'expired->pending',
      ].sort(),
    );
  });
});

describe('createSubscriptionRequestSchema', () => {
  it('accepts a model id with an optional justification and subject', () => {
    expect(
      createSubscriptionRequestSchema.parse({
        modelId: 'bedrock/anthropic.claude-3-5-sonnet:0',
        justification: '  For the support bot  ',
        subject: 'group:default/payments',
      }),
    ).toEqual({
      modelId: 'bedrock/anthropic.claude-3-5-sonnet:0',
      justification: 'For the support bot',
      subject: 'group:default/payments',
    });
    expect(createSubscriptionRequestSchema.parse({ modelId: 'm' })).toEqual({
      modelId: 'm',
    });
  });

  it.each([
    [{}, 'model id is required'],
    [{ modelId: '' }, 'model id must not be empty'],
    [{ modelId: ' gpt' }, 'must not start or end with whitespace'],
    [{ modelId: 'm'.repeat(256) }, 'at most 255 characters'],
    [{ modelId: 42 }, 'Expected string'],
    [{ modelId: 'm', justification: '   ' }, 'must not be empty'],
    [{ modelId: 'm', justification: 'j'.repeat(1001) }, 'at most 1000'],
    [{ modelId: 'm', justification: `use ${secret}` }, 'API key secret'],
    [{ modelId: 'm', subject: 'component:default/x' }, 'one of user, group'],
    [{ modelId: 'm', status: 'active' }, 'Unrecognized key'],
  ])('rejects %j', (body, message) => {
    expect(errorOf(createSubscriptionRequestSchema, body)).toContain(message);
  });
});

describe('decision schemas', () => {
  it('approves with an optional expiry and reason', () => {
    expect(approveSubscriptionRequestSchema.parse({})).toEqual({});
    expect(
      approveSubscriptionRequestSchema.parse({
        expiresAt: '2026-12-31T23:59:59+01:00',
        reason: 'ok',
      }),
    ).toEqual({ expiresAt: '2026-12-31T23:59:59+01:00', reason: 'ok' });
  });

  it.each([
    [{ expiresAt: 'tomorrow' }, 'ISO 8601'],
    [{ expiresAt: '2026-12-31T00:00:00' }, 'ISO 8601'],
    [{ reason: '' }, 'must not be empty'],
    [{ decidedBy: 'me' }, 'Unrecognized key'],
  ])('approval rejects %j', (body, message) => {
    expect(errorOf(approveSubscriptionRequestSchema, body)).toContain(message);
  });

  it('denies with a reason', () => {
    expect(denySubscriptionRequestSchema.parse({ reason: ' no ' })).toEqual({
      reason: 'no',
    });
  });

  it.each([
    [{}, 'Required'],
    [{ reason: '' }, 'must not be empty'],
    [{ reason: '  \n ' }, 'must not be empty'],
    [{ reason: 'r'.repeat(1001) }, 'at most 1000'],
    [{ reason: 'no', expiresAt: '2026-12-31T00:00:00Z' }, 'Unrecognized key'],
  ])('denial rejects %j', (body, message) => {
    expect(errorOf(denySubscriptionRequestSchema, body)).toContain(message);
  });
});

describe('listSubscriptionsQuerySchema', () => {
  it('defaults to the first page of pending requests and coerces numbers', () => {
    expect(listSubscriptionsQuerySchema.parse({})).toEqual({
      status: 'pending',
      limit: 50,
      offset: 0,
    });
    expect(
      listSubscriptionsQuerySchema.parse({
        status: 'active',
        limit: '10',
        offset: '20',
      }),
    ).toEqual({ status: 'active', limit: 10, offset: 20 });
  });

  it.each([
    [{ limit: '0' }, 'limit must be at least 1'],
    [{ limit: '201' }, 'limit must be at most 200'],
    [{ limit: 'ten' }, 'limit must be a number'],
    [{ limit: '1.5' }, 'limit must be a whole number'],
    [{ offset: '-1' }, 'offset must not be negative'],
    [{ status: 'approved' }, 'Invalid enum value'],
    [{ subject: 'user:default/a' }, 'Unrecognized key'],
  ])('rejects %j', (query, message) => {
    expect(errorOf(listSubscriptionsQuerySchema, query)).toContain(message);
  });
});
