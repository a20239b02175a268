import { listModelsQuerySchema, updateModelRequestSchema } from './models';

describe('listModelsQuerySchema', () => {
  it('accepts filters and turns restricted into a boolean', () => {
    expect(
      listModelsQuerySchema.parse({
        search: '  gpt ',
        provider: 'openai',
        capability: 'vision',
        restricted: 'false',
        status: 'available',
      }),
    ).toEqual({
      search: 'gpt',
      provider: 'openai',
      capability: 'vision',
      restricted: false,
      status: 'available',
    });
    expect(listModelsQuerySchema.parse({ restricted: 'true' })).toEqual({
      restricted: true,
    });
    // What the OpenAPI validator already turned into a boolean.
    expect(listModelsQuerySchema.parse({ restricted: false })).toEqual({
      restricted: false,
    });
    expect(listModelsQuerySchema.parse({})).toEqual({});
  });

  it.each([
    [{ restricted: 'yes' }, "must be 'true' or 'false'"],
    [{ status: 'gone' }, 'Invalid enum value'],
    [{ search: 'x'.repeat(101) }, 'search is at most 100 characters'],
    [{ provider: ' ' }, 'must not be empty'],
    [{ provider: ['a', 'b'] }, 'Expected string'],
    [{ page: '2' }, 'Unrecognized key'],
  ])('rejects %j', (query, message) => {
    const result = listModelsQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.toString()).toContain(message);
  });
});

describe('updateModelRequestSchema', () => {
  it('accepts admin fields, null clearing them', () => {
    expect(
      updateModelRequestSchema.parse({
        restricted: true,
        ownerGroupRef: 'Group:default/AI-Team',
        deprecationDate: '2026-12-31T00:00:00Z',
        replacementModelId: null,
      }),
    ).toEqual({
      restricted: true,
      ownerGroupRef: 'group:default/ai-team',
      deprecationDate: '2026-12-31T00:00:00Z',
      replacementModelId: null,
    });
  });

  it.each([
    [{}, 'nothing to update'],
    [{ restricted: 'true' }, 'Expected boolean'],
    [{ ownerGroupRef: 'user:default/alice' }, 'kind must be one of group'],
    [{ ownerGroupRef: 'payments' }, 'must be an entity ref'],
    [{ deprecationDate: '2026-12-31' }, 'ISO 8601'],
    [{ provider: 'openai' }, 'Unrecognized key'],
    [{ keepExistingGrants: true }, 'nothing to update'],
    [
      { restricted: false, keepExistingGrants: true },
      'keepExistingGrants only goes with restricted: true',
    ],
  ])('rejects %j', (body, message) => {
    const result = updateModelRequestSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.toString()).toContain(message);
  });
});
