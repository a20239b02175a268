import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  createLiteLLMError,
  LiteLLMAuthError,
  LiteLLMBadRequestError,
  LiteLLMBudgetExceededError,
  LiteLLMConflictError,
  LiteLLMEnterpriseFeatureError,
  LiteLLMError,
  LiteLLMModelNotAllowedError,
  LiteLLMNotFoundError,
  LiteLLMRateLimitError,
  LiteLLMUnavailableError,
  parseLiteLLMErrorBody,
  toBackstageError,
} from './errors';
import { fakeSecret, proxyError } from './__testUtils__/helpers';

const ctx = { method: 'POST', path: '/key/generate' };
const json = (v: unknown) => JSON.stringify(v);

describe('parseLiteLLMErrorBody', () => {
  it('parses the proxy envelope with a string code ([new])', () => {
    expect(
      parseLiteLLMErrorBody(
        json(
          proxyError(
            'Key not found in database',
            'not_found_error',
            '404',
            'key',
          ),
        ),
      ),
    ).toEqual({
      shape: 'proxy',
      message: 'Key not found in database',
      type: 'not_found_error',
      param: 'key',
      code: 404,
    });
  });

  it('parses the proxy envelope with an int code and an object message ([old])', () => {
    expect(
      parseLiteLLMErrorBody(
        json(proxyError({ error: 'No keys found' }, 'auth_error', 404)),
      ),
    ).toEqual({
      shape: 'proxy',
      message: 'No keys found',
      type: 'auth_error',
      param: undefined,
      code: 404,
    });
  });

  it('unwraps a Python dict repr message, with either quote style', () => {
    expect(
      parseLiteLLMErrorBody(
        json(
          proxyError(
            "{'error': 'No keys found'}",
            'internal_server_error',
            '404',
          ),
        ),
      ).message,
    ).toBe('No keys found');
    expect(
      parseLiteLLMErrorBody(
        json(
          proxyError(
            `{'error': "Key with alias 'a' already exists."}`,
            'bad_request_error',
            '400',
          ),
        ),
      ).message,
    ).toBe("Key with alias 'a' already exists.");
    expect(
      parseLiteLLMErrorBody(
        json(
          proxyError(
            "{'error': 'It\\'s gone', 'extra': 1}",
            'internal_server_error',
            '404',
          ),
        ),
      ).message,
    ).toBe("It's gone");
  });

  it('treats the literal "None" type and param as absent', () => {
    const parsed = parseLiteLLMErrorBody(
      json(proxyError('Invalid model name passed in model=x', 'None', '400')),
    );
    expect(parsed.type).toBeUndefined();
    expect(parsed.param).toBeUndefined();
  });

  it('parses the FastAPI detail shapes (string and {error})', () => {
    expect(
      parseLiteLLMErrorBody(json({ detail: 'Service Unhealthy (db)' })),
    ).toEqual({
      shape: 'detail',
      message: 'Service Unhealthy (db)',
    });
    expect(
      parseLiteLLMErrorBody(
        json({ detail: { error: 'Team not found, passed team_id=t1' } }),
      ),
    ).toEqual({
      shape: 'detail',
      message: 'Team not found, passed team_id=t1',
    });
  });

  it('parses the validation shape into field errors', () => {
    const parsed = parseLiteLLMErrorBody(
      json({
        detail: [
          {
            type: 'less_than_equal',
            loc: ['query', 'size'],
            msg: 'Input should be less than or equal to 100',
            input: '500',
            ctx: { le: 100 },
          },
          { type: 'missing', loc: ['body', 'keys'], msg: 'Field required' },
        ],
      }),
    );
    expect(parsed.shape).toBe('validation');
    expect(parsed.fieldErrors).toEqual([
      {
        field: 'size',
        message: 'Input should be less than or equal to 100',
        type: 'less_than_equal',
      },
      { field: 'keys', message: 'Field required', type: 'missing' },
    ]);
    expect(parsed.message).toBe(
      'size: Input should be less than or equal to 100; keys: Field required',
    );
  });

  it('copes with {"error": "..."}, non-JSON and empty bodies', () => {
    expect(
      parseLiteLLMErrorBody(json({ error: 'max_budget is over max limit' })),
    ).toEqual({
      shape: 'error-string',
      message: 'max_budget is over max limit',
    });
    expect(parseLiteLLMErrorBody('<html>Bad Gateway</html>')).toEqual({
      shape: 'text',
      message: '<html>Bad Gateway</html>',
    });
    expect(parseLiteLLMErrorBody('')).toEqual({ shape: 'empty', message: '' });
  });
});

describe('createLiteLLMError', () => {
  it.each([
    [400, 'Budget has been exceeded! Current cost: 5.0, Max budget: 1.0'],
    [
      429,
      'Budget has been exceeded! Key=key (sk-...abcd) Current cost: 5.0, Max budget: 1.0',
    ],
  ])(
    'maps a budget_exceeded %i to LiteLLMBudgetExceededError',
    (status, message) => {
      const error = createLiteLLMError(
        status,
        json(proxyError(message, 'budget_exceeded', String(status), null)),
        ctx,
      );
      expect(error).toBeInstanceOf(LiteLLMBudgetExceededError);
      expect(error.status).toBe(status);
      expect(error.litellmType).toBe('budget_exceeded');
    },
  );

  it('detects a budget error by its message when the type is missing', () => {
    const error = createLiteLLMError(
      400,
      json(
        proxyError(
          'ExceededBudget: User=u1 over budget. Spend=3, Budget=2',
          'None',
          400,
        ),
      ),
      ctx,
    );
    expect(error).toBeInstanceOf(LiteLLMBudgetExceededError);
  });

  it.each([
    [
      401,
      'key_model_access_denied',
      "key not allowed to access model. This key can only access models=['a']. Tried to access b",
    ],
    [
      403,
      'key_model_access_denied',
      "key not allowed to access model. This key can only access models=['a']. Tried to access b",
    ],
    [
      403,
      'team_model_access_denied',
      'team not allowed to access model. Tried to access b',
    ],
    [
      403,
      'None',
      "The requested model 'b' is not available for this API key, or the model name is invalid",
    ],
  ])('maps a %i %s to LiteLLMModelNotAllowedError', (status, type, message) => {
    const error = createLiteLLMError(
      status,
      json(proxyError(message, type, String(status), 'model')),
      { method: 'POST', path: '/v1/chat/completions' },
    );
    expect(error).toBeInstanceOf(LiteLLMModelNotAllowedError);
    expect(error.status).toBe(status);
  });

  it('maps the duplicate alias 400 to LiteLLMConflictError', () => {
    const error = createLiteLLMError(
      400,
      json(
        proxyError(
          "Key with alias 'team-a' already exists. Unique key aliases across all keys are required.",
          'bad_request_error',
          '400',
          'key_alias',
        ),
      ),
      ctx,
    );
    expect(error).toBeInstanceOf(LiteLLMConflictError);
    expect(error.param).toBe('key_alias');
    expect(error.message).toContain("Key with alias 'team-a' already exists");
  });

  it('maps duplicate users (409), team ids and members to LiteLLMConflictError', () => {
    expect(
      createLiteLLMError(
        409,
        json(
          proxyError(
            "{'error': 'User with id u1 already exists'}",
            'auth_error',
            '409',
          ),
        ),
        ctx,
      ),
    ).toBeInstanceOf(LiteLLMConflictError);
    expect(
      createLiteLLMError(
        400,
        json(
          proxyError(
            "{'error': 'Team id = t1 already exists. Please use a different team id.'}",
            'internal_server_error',
            '400',
          ),
        ),
        ctx,
      ),
    ).toBeInstanceOf(LiteLLMConflictError);
    expect(
      createLiteLLMError(
        400,
        json(
          proxyError(
            'User=u1 already in team.',
            'team_member_already_in_team',
            '400',
          ),
        ),
        ctx,
      ),
    ).toBeInstanceOf(LiteLLMConflictError);
  });

  it('maps 404s of every shape to LiteLLMNotFoundError', () => {
    expect(
      createLiteLLMError(
        404,
        json(
          proxyError(
            "{'error': 'Team not found, passed team_id=None'}",
            'auth_error',
            '404',
          ),
        ),
        { method: 'POST', path: '/key/update' },
      ),
    ).toBeInstanceOf(LiteLLMNotFoundError);
    expect(
      createLiteLLMError(
        404,
        json({ detail: { error: 'User not found, passed user_id=u1' } }),
        { method: 'POST', path: '/user/delete' },
      ),
    ).toBeInstanceOf(LiteLLMNotFoundError);
    expect(
      createLiteLLMError(
        400,
        json({ detail: { error: 'Team id=t1 does not exist in db' } }),
        { method: 'POST', path: '/team/member_delete' },
      ),
    ).toBeInstanceOf(LiteLLMNotFoundError);
  });

  it('maps the enterprise-only 500 to LiteLLMEnterpriseFeatureError', () => {
    const error = createLiteLLMError(
      500,
      json(
        proxyError(
          'Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user to use this feature.',
          'internal_server_error',
          '500',
        ),
      ),
      { method: 'POST', path: '/key/{key}/regenerate' },
    );
    expect(error).toBeInstanceOf(LiteLLMEnterpriseFeatureError);
    expect(error.status).toBe(500);
  });

  it('maps other 5xx, 408 and gateway pages to LiteLLMUnavailableError', () => {
    for (const [status, body] of [
      [
        500,
        json(
          proxyError(
            'LLM Model List not loaded in.',
            'internal_server_error',
            '500',
          ),
        ),
      ],
      [503, json({ detail: 'Service Unhealthy (db down)' })],
      [502, '<html>Bad Gateway</html>'],
      [408, ''],
    ] as const) {
      const error = createLiteLLMError(status, body, ctx);
      expect(error).toBeInstanceOf(LiteLLMUnavailableError);
      expect((error as LiteLLMUnavailableError).reason).toBe('http');
    }
  });

  it('maps a rejected master key to LiteLLMAuthError', () => {
    const error = createLiteLLMError(
      401,
      json(
        proxyError(
          'Authentication Error, Invalid proxy server token passed. Unable to find token in cache',
          'token_not_found_in_db',
          '401',
          'key',
        ),
      ),
      ctx,
    );
    expect(error).toBeInstanceOf(LiteLLMAuthError);
  });

  it('maps validation errors and other 400s to LiteLLMBadRequestError', () => {
    const validation = createLiteLLMError(
      422,
      json({
        detail: [
          { type: 'missing', loc: ['body', 'user_id'], msg: 'Field required' },
        ],
      }),
      ctx,
    );
    expect(validation).toBeInstanceOf(LiteLLMBadRequestError);
    expect((validation as LiteLLMBadRequestError).fieldErrors).toEqual([
      { field: 'user_id', message: 'Field required', type: 'missing' },
    ]);
    const other = createLiteLLMError(
      400,
      json(
        proxyError(
          'max_budget cannot be negative. Received: -1',
          'bad_request_error',
          '400',
        ),
      ),
      ctx,
    );
    expect(other).toBeInstanceOf(LiteLLMBadRequestError);
    expect(other.detail).toBe('max_budget cannot be negative. Received: -1');
  });

  it('maps a non-budget 429 to LiteLLMRateLimitError', () => {
    expect(
      createLiteLLMError(
        429,
        json(
          proxyError(
            'Rate limit exceeded for api_key: abc. Limit type: requests.',
            'None',
            '429',
          ),
        ),
        ctx,
      ),
    ).toBeInstanceOf(LiteLLMRateLimitError);
  });

  it('never keeps a key secret in the message, detail or param', () => {
    const secret = fakeSecret('q', 22);
    const masterKey = `master-${'z'.repeat(10)}`;
    const error = createLiteLLMError(
      400,
      json(
        proxyError(
          `Authentication Error - Expired Key. Key=${secret} (master ${masterKey})`,
          'expired_key',
          400,
          secret,
        ),
      ),
      { ...ctx, secrets: [masterKey] },
    );
    const everything = `${error.message} ${error.detail} ${error.param} ${json(
      error,
    )}`;
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(masterKey);
    expect(everything).toContain('sk-...qqqq');
    expect(everything).not.toMatch(/sk-[A-Za-z0-9_-]{5,}/);
  });

  it('always produces LiteLLMError subclasses with status, type and path', () => {
    const error = createLiteLLMError(
      404,
      json(
        proxyError(
          'Key not found in database',
          'not_found_error',
          '404',
          'key',
        ),
      ),
      { method: 'GET', path: '/key/info' },
    );
    expect(error).toBeInstanceOf(LiteLLMError);
    expect(error).toMatchObject({
      name: 'LiteLLMNotFoundError',
      status: 404,
      litellmType: 'not_found_error',
      path: '/key/info',
      method: 'GET',
      code: 404,
    });
    expect(error.message).toBe(
      'LiteLLM GET /key/info answered 404 (not_found_error): Key not found in database',
    );
  });
});

describe('toBackstageError', () => {
  const make = (status: number, body: unknown) =>
    createLiteLLMError(status, json(body), { method: 'GET', path: '/x' });

  it.each([
    [
      'NotFoundError',
      make(404, proxyError('nope', 'not_found_error', '404')),
      NotFoundError,
    ],
    [
      'ConflictError',
      make(
        400,
        proxyError(
          "Key with alias 'a' already exists.",
          'bad_request_error',
          '400',
        ),
      ),
      ConflictError,
    ],
    [
      'InputError',
      make(422, {
        detail: [{ loc: ['query', 'page'], msg: 'bad', type: 'x' }],
      }),
      InputError,
    ],
    [
      'NotAllowedError',
      make(
        403,
        proxyError(
          'key not allowed to access model',
          'key_model_access_denied',
          '403',
        ),
      ),
      NotAllowedError,
    ],
    [
      'NotAllowedError',
      make(
        429,
        proxyError('Budget has been exceeded!', 'budget_exceeded', '429'),
      ),
      NotAllowedError,
    ],
    [
      'NotImplementedError',
      make(
        500,
        proxyError(
          'X is an Enterprise feature',
          'internal_server_error',
          '500',
        ),
      ),
      NotImplementedError,
    ],
    [
      'ServiceUnavailableError',
      make(503, { detail: 'down' }),
      ServiceUnavailableError,
    ],
    [
      'ServiceUnavailableError',
      make(
        401,
        proxyError('Invalid proxy server token passed', 'auth_error', '401'),
      ),
      ServiceUnavailableError,
    ],
  ])('converts case %# to %s', (expectedName, error, expectedClass) => {
    const converted = toBackstageError(error) as Error;
    expect(converted).toBeInstanceOf(expectedClass);
    expect(converted.name).toBe(expectedName);
    // The Backstage error middleware reads `status` first: it must not leak LiteLLM's.
    expect((converted as { status?: number }).status).toBeUndefined();
  });

  it('gives a clear 503 message for unavailability', () => {
    const converted = toBackstageError(
      make(502, { detail: 'bad gateway' }),
    ) as Error;
    expect(converted.message).toMatch(/LiteLLM proxy is unavailable/);
  });

  it('says what did not happen when given the action', () => {
    const down = toBackstageError(
      make(503, { detail: 'down' }),
      'the key was not created',
    ) as Error;
    expect(down.message).toBe(
      'The LiteLLM proxy is unavailable, the key was not created; try again later',
    );
    const rejected = toBackstageError(
      make(422, { detail: [{ loc: ['body', 'x'], msg: 'bad', type: 'x' }] }),
      'the key was not created',
    ) as Error;
    expect(rejected.message).toMatch(/^LiteLLM rejected the request: /);
  });

  it('turns other LiteLLM failures into a 503 and passes foreign errors through', () => {
    const rateLimited = toBackstageError(
      make(429, proxyError('Rate limit', 'None', '429')),
      'the team was not changed',
    ) as Error;
    expect(rateLimited).toBeInstanceOf(ServiceUnavailableError);
    expect(rateLimited.message).toBe(
      'The LiteLLM proxy failed, the team was not changed; try again later',
    );
    const foreign = new Error('boom');
    expect(toBackstageError(foreign)).toBe(foreign);
  });
});
