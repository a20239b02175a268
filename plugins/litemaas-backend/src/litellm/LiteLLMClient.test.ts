import { mockServices } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import {
  LiteLLMBadRequestError,
  LiteLLMBudgetExceededError,
  LiteLLMConflictError,
  LiteLLMEnterpriseFeatureError,
  LiteLLMModelNotAllowedError,
  LiteLLMNotFoundError,
  LiteLLMUnavailableError,
} from './errors';
import { LiteLLMClient } from './LiteLLMClient';
import { hashLiteLLMKey } from './redact';
import {
  collect,
  createTestClient,
  fakeSecret,
  proxyError,
  setupLiteLLMMsw,
  TEST_BASE_URL,
} from './__testUtils__/helpers';

const { server, url } = setupLiteLLMMsw();

/** Records every request msw sees (method, path, query, parsed body, auth header). */
function recordRequests() {
  const seen: Array<{
    method: string;
    path: string;
    query: URLSearchParams;
    body: any;
    auth: string | null;
  }> = [];
  server.events.on('request:start', async ({ request }) => {
    const u = new URL(request.url);
    const text = request.method === 'POST' ? await request.clone().text() : '';
    seen.push({
      method: request.method,
      path: u.pathname,
      query: u.searchParams,
      body: text ? JSON.parse(text) : undefined,
      auth: request.headers.get('authorization'),
    });
  });
  return seen;
}

afterEach(() => server.events.removeAllListeners());

describe('LiteLLMClient (msw)', () => {
  describe('configuration', () => {
    it('reads litemaas.litellm.* through fromConfig', async () => {
      const masterKey = fakeSecret('C');
      server.use(
        http.get(url('/health/liveliness'), ({ request }) =>
          request.headers.get('authorization') === `Bearer ${masterKey}`
            ? HttpResponse.json("I'm alive!")
            : HttpResponse.json({}, { status: 401 }),
        ),
      );
      const client = LiteLLMClient.fromConfig(
        mockServices.rootConfig({
          data: {
            litemaas: {
              litellm: {
                baseUrl: `${TEST_BASE_URL}/`,
                masterKey,
                timeoutMs: 500,
              },
            },
          },
        }),
        { logger: mockServices.logger.mock() },
      );
      await expect(client.getLiveliness()).resolves.toBe("I'm alive!");
    });

    const withRetry = (retry: Record<string, number>) =>
      LiteLLMClient.fromConfig(
        mockServices.rootConfig({
          data: {
            litemaas: {
              litellm: { baseUrl: TEST_BASE_URL, masterKey: 'x', retry },
            },
          },
        }),
        { logger: mockServices.logger.mock() },
      );

    it('takes the retries of reads from litemaas.litellm.retry', async () => {
      let calls = 0;
      server.use(
        http.get(url('/health/liveliness'), () => {
          calls++;
          return HttpResponse.json({}, { status: 503 });
        }),
      );
      await expect(
        withRetry({ maxAttempts: 2, baseDelayMs: 0 }).getLiveliness(),
      ).rejects.toThrow(LiteLLMUnavailableError);
      expect(calls).toBe(2);
      calls = 0;
      await expect(
        withRetry({ maxAttempts: 1 }).getLiveliness(),
      ).rejects.toThrow(LiteLLMUnavailableError);
      expect(calls).toBe(1);
    });

    it('refuses retry values the plugin would refuse', () => {
      expect(() => withRetry({ maxAttempts: 0 })).toThrow(
        'litemaas.litellm.retry.maxAttempts must be greater than 0, got 0',
      );
      expect(() => withRetry({ baseDelayMs: -5, maxDelayMs: 1.5 })).toThrow(
        'litemaas.litellm.retry.baseDelayMs must not be negative, got -5; ' +
          'litemaas.litellm.retry.maxDelayMs must be a whole number, got 1.5',
      );
      expect(() => withRetry({ maxAttempts: 1, baseDelayMs: 0 })).not.toThrow();
    });

    it('fails fast on a missing master key or a bad URL', () => {
      const logger = mockServices.logger.mock();
      expect(() =>
        LiteLLMClient.fromConfig(
          mockServices.rootConfig({
            data: {
              litemaas: { litellm: { baseUrl: TEST_BASE_URL } },
            },
          }),
          { logger },
        ),
      ).toThrow(/masterKey/);
      expect(
        () =>
          new LiteLLMClient({
            baseUrl: 'litellm:4000',
            masterKey: 'x',
            logger,
          }),
      ).toThrow(/baseUrl/);
    });
  });

  describe('models and health', () => {
    it('lists model info and models', async () => {
      server.use(
        http.get(url('/model/info'), ({ request }) =>
          HttpResponse.json({
            data: [
              {
                model_name: 'gpt-4o',
                litellm_params: { model: 'openai/gpt-4o' },
                model_info: {
                  id:
                    new URL(request.url).searchParams.get('litellm_model_id') ??
                    'd1',
                  mode: 'chat',
                  input_cost_per_token: 0.0000025,
                  future_field: true,
                },
              },
            ],
          }),
        ),
        http.get(url('/v1/models'), () =>
          HttpResponse.json({
            data: [
              {
                id: 'gpt-4o',
                object: 'model',
                created: 1677610602,
                owned_by: 'openai',
              },
            ],
            object: 'list',
          }),
        ),
      );
      const { client } = createTestClient();
      const info = await client.getModelInfo({ modelId: 'abc' });
      expect(info).toHaveLength(1);
      expect(info[0].model_info?.id).toBe('abc');
      expect(info[0].model_info?.future_field).toBe(true);
      expect((await client.listModels()).map(m => m.id)).toEqual(['gpt-4o']);
    });

    it('reports readiness, and a 503 readiness as unavailable', async () => {
      server.use(
        http.get(url('/health/readiness'), () =>
          HttpResponse.json({
            status: 'connected',
            db: 'connected',
            litellm_version: '1.80.0',
          }),
        ),
      );
      const { client } = createTestClient();
      await expect(client.getReadiness()).resolves.toMatchObject({
        db: 'connected',
      });
      server.use(
        http.get(url('/health/readiness'), () =>
          HttpResponse.json(
            { detail: 'Service Unhealthy (db down)' },
            { status: 503 },
          ),
        ),
      );
      const error = await client.getReadiness().catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMUnavailableError);
      expect(error.detail).toBe('Service Unhealthy (db down)');
    });

    it('rejects a malformed success body with a typed error', async () => {
      server.use(
        http.get(url('/model/info'), () => HttpResponse.json({ nope: 1 })),
      );
      const { client } = createTestClient();
      await expect(client.getModelInfo()).rejects.toMatchObject({
        name: 'LiteLLMInvalidResponseError',
        path: '/model/info',
      });
    });
  });

  describe('keys', () => {
    it('generates a key, sending the master key and filling the hash', async () => {
      const seen = recordRequests();
      const secret = fakeSecret('g');
      server.use(
        http.post(url('/key/generate'), async ({ request }) => {
          const body = (await request.json()) as Record<string, unknown>;
          return HttpResponse.json({
            ...body,
            key: secret,
            key_name: 'sk-...gggg',
            expires: null,
            spend: 0,
            token_id: undefined,
          });
        }),
      );
      const { client, masterKey, loggedLines } = createTestClient();
      const generated = await client.generateKey({
        key_alias: 'alice-gpt',
        models: ['gpt-4o'],
        max_budget: 10,
        user_id: 'alice',
      });
      expect(generated.key).toBe(secret);
      expect(generated.token).toBe(hashLiteLLMKey(secret));
      expect(generated.key_alias).toBe('alice-gpt');
      expect(seen[0].auth).toBe(`Bearer ${masterKey}`);
      expect(seen[0].body).toEqual({
        key_alias: 'alice-gpt',
        models: ['gpt-4o'],
        max_budget: 10,
        user_id: 'alice',
      });
      // Nothing logged ever contains the secret or the master key.
      const logs = loggedLines().join('\n');
      expect(logs).toContain('/key/generate');
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain(masterKey);
    });

    it('maps the duplicate alias 400 to LiteLLMConflictError', async () => {
      server.use(
        http.post(url('/key/generate'), () =>
          HttpResponse.json(
            proxyError(
              "Key with alias 'alice-gpt' already exists. Unique key aliases across all keys are required.",
              'bad_request_error',
              '400',
              'key_alias',
            ),
            { status: 400 },
          ),
        ),
      );
      const { client } = createTestClient();
      const error = await client
        .generateKey({ key_alias: 'alice-gpt' })
        .catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMConflictError);
      expect(error).toMatchObject({
        status: 400,
        param: 'key_alias',
        path: '/key/generate',
      });
    });

    it.each([
      [
        '{key, info}',
        (hash: string) => ({
          key: hash,
          info: { key_name: 'sk-...abcd', spend: 1.5 },
        }),
      ],
      [
        'v2 {key: [], info: []}',
        (hash: string) => ({
          key: [hash],
          info: [{ key_name: 'sk-...abcd', spend: 1.5 }],
        }),
      ],
      [
        'a bare row',
        (hash: string) => ({ token: hash, key_name: 'sk-...abcd', spend: 1.5 }),
      ],
    ])(
      'reads /key/info shaped as %s, by raw key or hash, sending only the hash',
      async (_, shape) => {
        const seen = recordRequests();
        const secret = fakeSecret('i');
        const hash = hashLiteLLMKey(secret);
        server.use(
          http.get(url('/key/info'), ({ request }) =>
            new URL(request.url).searchParams.get('key') === hash
              ? HttpResponse.json(shape(hash))
              : HttpResponse.json(
                  proxyError(
                    'Key not found in database',
                    'not_found_error',
                    '404',
                    'key',
                  ),
                  { status: 404 },
                ),
          ),
        );
        const { client } = createTestClient();
        for (const ref of [secret, hash]) {
          const info = await client.getKeyInfo(ref);
          expect(info).toMatchObject({
            token: hash,
            key_name: 'sk-...abcd',
            spend: 1.5,
          });
        }
        expect(seen.map(r => r.query.get('key'))).toEqual([hash, hash]);
        expect(JSON.stringify(seen.map(r => r.query.toString()))).not.toContain(
          secret,
        );
      },
    );

    it.each([
      ['string', '404'],
      ['int', 404],
    ])(
      'maps an unknown key (code as %s) to LiteLLMNotFoundError',
      async (_, code) => {
        server.use(
          http.get(url('/key/info'), () =>
            HttpResponse.json(
              proxyError(
                'Key not found in database',
                'not_found_error',
                code,
                'key',
              ),
              {
                status: 404,
              },
            ),
          ),
        );
        const { client } = createTestClient();
        const error = await client.getKeyInfo('0'.repeat(64)).catch(e => e);
        expect(error).toBeInstanceOf(LiteLLMNotFoundError);
        expect(error.code).toBe(404);
        expect(error.litellmType).toBe('not_found_error');
      },
    );

    it('updates, blocks, unblocks and deletes by hash; dict-repr 404s become NotFound', async () => {
      const seen = recordRequests();
      const secret = fakeSecret('u');
      const hash = hashLiteLLMKey(secret);
      server.use(
        http.post(url('/key/update'), async ({ request }) => {
          const body = (await request.json()) as Record<string, unknown>;
          return body.key === hash
            ? HttpResponse.json(body)
            : HttpResponse.json(
                proxyError(
                  "{'error': 'Team not found, passed team_id=None'}",
                  'auth_error',
                  '404',
                ),
                { status: 404 },
              );
        }),
        http.post(url('/key/block'), () =>
          HttpResponse.json({ token: hash, blocked: true }),
        ),
        http.post(url('/key/unblock'), () =>
          HttpResponse.json({ token: hash, blocked: false }),
        ),
        http.post(url('/key/delete'), async ({ request }) => {
          const body = (await request.json()) as { keys: string[] };
          return body.keys[0] === hash
            ? HttpResponse.json({ deleted_keys: body.keys })
            : HttpResponse.json(
                proxyError({ error: 'No keys found' }, 'auth_error', 404),
                {
                  status: 404,
                },
              );
        }),
      );
      const { client } = createTestClient();
      await expect(
        client.updateKey(secret, { max_budget: 20 }),
      ).resolves.toEqual({
        key: hash,
        max_budget: 20,
      });
      await expect(
        client.updateKey('f'.repeat(64), { max_budget: 1 }),
      ).rejects.toBeInstanceOf(LiteLLMNotFoundError);
      await expect(client.blockKey(secret)).resolves.toMatchObject({
        token: hash,
        blocked: true,
      });
      await expect(client.unblockKey(hash)).resolves.toMatchObject({
        blocked: false,
      });
      await expect(client.deleteKeys([secret])).resolves.toEqual({
        deleted_keys: [hash],
      });
      const gone = await client.deleteKeys(['e'.repeat(64)]).catch(e => e);
      expect(gone).toBeInstanceOf(LiteLLMNotFoundError);
      expect(gone.detail).toBe('No keys found');
      expect(JSON.stringify(seen.map(r => r.body))).not.toContain(secret);
    });

    it('regenerates by hash and returns the new hash', async () => {
      const seen = recordRequests();
      const oldSecret = fakeSecret('o');
      const newSecret = fakeSecret('n');
      server.use(
        http.post(url('/key/:key/regenerate'), () =>
          HttpResponse.json({
            key: newSecret,
            key_name: 'sk-...nnnn',
            token_id: hashLiteLLMKey(newSecret),
          }),
        ),
      );
      const { client } = createTestClient();
      const regenerated = await client.regenerateKey(oldSecret, {
        grace_period: '1h',
      });
      expect(regenerated.token).toBe(hashLiteLLMKey(newSecret));
      expect(seen[0].path).toBe(`/key/${hashLiteLLMKey(oldSecret)}/regenerate`);
      expect(seen[0].body).toEqual({ grace_period: '1h' });
    });

    it('reports the enterprise-only regenerate 500 as LiteLLMEnterpriseFeatureError, sent once', async () => {
      const seen = recordRequests();
      server.use(
        http.post(url('/key/:key/regenerate'), () =>
          HttpResponse.json(
            proxyError(
              'Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env.',
              'internal_server_error',
              '500',
            ),
            { status: 500 },
          ),
        ),
      );
      const { client } = createTestClient();
      const error = await client.regenerateKey('a'.repeat(64)).catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMEnterpriseFeatureError);
      expect(error.status).toBe(500);
      expect(seen).toHaveLength(1);
      expect(client.circuitState).toBe('closed');
    });

    it('lists key hashes and full keys, and walks all pages', async () => {
      const seen = recordRequests();
      const hashes = ['1', '2', '3'].map(c => c.repeat(64));
      server.use(
        http.get(url('/key/list'), ({ request }) => {
          const q = new URL(request.url).searchParams;
          const page = Number(q.get('page') ?? 1);
          const slice = hashes.slice((page - 1) * 2, page * 2);
          return HttpResponse.json({
            keys:
              q.get('return_full_object') === 'true'
                ? slice.map(token => ({ token, key_alias: `a${token[0]}` }))
                : slice,
            total_count: 3,
            current_page: page,
            total_pages: 2,
          });
        }),
      );
      const { client } = createTestClient();
      await expect(
        client.listKeyHashes({ size: 2, user_id: 'alice' }),
      ).resolves.toMatchObject({
        keys: hashes.slice(0, 2),
        total_count: 3,
        total_pages: 2,
      });
      expect(seen[0].query.get('user_id')).toBe('alice');
      expect(seen[0].query.has('return_full_object')).toBe(false);
      const all = await collect(client.iterateKeys({ size: 2 }));
      expect(all.map(k => k.token)).toEqual(hashes);
      expect(all[2].key_alias).toBe('a3');
    });

    it('maps a 422 validation error to LiteLLMBadRequestError with field messages', async () => {
      server.use(
        http.get(url('/key/list'), () =>
          HttpResponse.json(
            {
              detail: [
                {
                  type: 'less_than_equal',
                  loc: ['query', 'size'],
                  msg: 'Input should be less than or equal to 100',
                  input: '500',
                  ctx: { le: 100 },
                },
              ],
            },
            { status: 422 },
          ),
        ),
      );
      const { client } = createTestClient();
      const error = await client.listKeyHashes({ size: 500 }).catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMBadRequestError);
      expect(error.status).toBe(422);
      expect(error.fieldErrors).toEqual([
        {
          field: 'size',
          message: 'Input should be less than or equal to 100',
          type: 'less_than_equal',
        },
      ]);
    });
  });

  describe('data plane errors as seen by a key holder', () => {
    it.each([
      [400, '[old]'],
      [429, '[new]'],
    ])(
      'maps the budget_exceeded %i %s to LiteLLMBudgetExceededError',
      async status => {
        server.use(
          http.get(url('/model/info'), () =>
            HttpResponse.json(
              proxyError(
                'Budget has been exceeded! Current cost: 5.0, Max budget: 1.0',
                'budget_exceeded',
                String(status),
                null,
              ),
              { status },
            ),
          ),
        );
        const { client } = createTestClient();
        const error = await client.getModelInfo().catch(e => e);
        expect(error).toBeInstanceOf(LiteLLMBudgetExceededError);
        expect(error.status).toBe(status);
      },
    );

    it.each([401, 403])(
      'maps a %i key_model_access_denied to LiteLLMModelNotAllowedError',
      async status => {
        server.use(
          http.get(url('/model/info'), () =>
            HttpResponse.json(
              proxyError(
                "key not allowed to access model. This key can only access models=['gpt-4o']. Tried to access llama",
                'key_model_access_denied',
                String(status),
                'model',
              ),
              { status },
            ),
          ),
        );
        const { client } = createTestClient();
        const error = await client.getModelInfo().catch(e => e);
        expect(error).toBeInstanceOf(LiteLLMModelNotAllowedError);
        expect(error.status).toBe(status);
      },
    );
  });

  describe('users', () => {
    it('creates a user without an orphan key by default; duplicates conflict', async () => {
      const seen = recordRequests();
      server.use(
        http.post(url('/user/new'), async ({ request }) => {
          const body = (await request.json()) as Record<string, unknown>;
          if (body.user_id === 'taken') {
            return HttpResponse.json(
              proxyError(
                "{'error': 'User with id taken already exists'}",
                'bad_request_error',
                '409',
              ),
              { status: 409 },
            );
          }
          return HttpResponse.json({ ...body, key: '', spend: 0 });
        }),
      );
      const { client } = createTestClient();
      await expect(
        client.createUser({
          user_id: 'alice',
          user_email: 'alice@example.com',
          user_role: 'internal_user',
        }),
      ).resolves.toMatchObject({ user_id: 'alice', key: '' });
      expect(seen[0].body.auto_create_key).toBe(false);
      const error = await client.createUser({ user_id: 'taken' }).catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMConflictError);
      expect(error.detail).toBe('User with id taken already exists');
    });

    it('reads a known user and normalizes its keys', async () => {
      const hash = 'c'.repeat(64);
      server.use(
        http.get(url('/user/info'), ({ request }) =>
          HttpResponse.json({
            user_id: new URL(request.url).searchParams.get('user_id'),
            user_info: {
              user_id: 'alice',
              spend: 2,
              max_budget: 10,
              teams: ['t1'],
            },
            keys: [{ token: hash, key_alias: 'k1' }],
            teams: [{ team_id: 't1', team_alias: 'Team 1' }],
          }),
        ),
      );
      const { client } = createTestClient();
      const info = await client.getUserInfo('alice');
      expect(info).toMatchObject({
        user_id: 'alice',
        user_info: { user_id: 'alice', spend: 2 },
        keys: [{ token: hash, key_alias: 'k1' }],
        teams: [{ team_id: 't1' }],
      });
    });

    it('normalizes an unknown user to undefined: 404 [new]', async () => {
      server.use(
        http.get(url('/user/info'), () =>
          HttpResponse.json(
            proxyError('User ghost not found', 'not_found_error', '404'),
            { status: 404 },
          ),
        ),
      );
      const { client } = createTestClient();
      await expect(client.getUserInfo('ghost')).resolves.toBeUndefined();
    });

    it('normalizes an unknown user to undefined: empty 200 [old]', async () => {
      server.use(
        http.get(url('/user/info'), () =>
          HttpResponse.json({
            user_id: 'ghost',
            user_info: { spend: 0 },
            keys: [],
            teams: [],
          }),
        ),
      );
      const { client } = createTestClient();
      await expect(client.getUserInfo('ghost')).resolves.toBeUndefined();
    });

    it('refuses to call /user/info without a user id (it would list everything)', async () => {
      const { client } = createTestClient();
      await expect(client.getUserInfo('')).rejects.toThrow(/userId/);
    });

    it('updates, lists and deletes users', async () => {
      const seen = recordRequests();
      server.use(
        http.post(url('/user/update'), async ({ request }) => {
          const body = (await request.json()) as Record<string, unknown>;
          return HttpResponse.json({
            user_id: body.user_id,
            data: { max_budget: body.max_budget },
          });
        }),
        http.get(url('/user/list'), () =>
          HttpResponse.json({
            users: [{ user_id: 'alice', key_count: 1 }],
            total: 1,
            page: 1,
            page_size: 25,
            total_pages: 1,
          }),
        ),
        http.post(url('/user/delete'), async ({ request }) => {
          const body = (await request.json()) as { user_ids: string[] };
          return body.user_ids[0] === 'alice'
            ? HttpResponse.json(1)
            : HttpResponse.json(
                {
                  detail: {
                    error: `User not found, passed user_id=${body.user_ids[0]}`,
                  },
                },
                { status: 404 },
              );
        }),
      );
      const { client } = createTestClient();
      await expect(
        client.updateUser('alice', { max_budget: 5 }),
      ).resolves.toEqual({
        user_id: 'alice',
        data: { max_budget: 5 },
      });
      await expect(
        client.listUsers({ user_ids: ['alice', 'bob'] }),
      ).resolves.toMatchObject({
        users: [{ user_id: 'alice' }],
        total: 1,
      });
      expect(seen[1].query.get('user_ids')).toBe('alice,bob');
      await expect(client.deleteUsers(['alice'])).resolves.toBeUndefined();
      const error = await client.deleteUsers(['bob']).catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMNotFoundError);
      expect(error.detail).toBe('User not found, passed user_id=bob');
    });
  });

  describe('teams', () => {
    it('creates, reads, updates, manages members, lists and deletes', async () => {
      const seen = recordRequests();
      const team = {
        team_id: 't1',
        team_alias: 'Team 1',
        members_with_roles: [],
        spend: 0,
      };
      server.use(
        http.post(url('/team/new'), async ({ request }) =>
          HttpResponse.json({ ...team, ...((await request.json()) as object) }),
        ),
        http.get(url('/team/info'), ({ request }) =>
          new URL(request.url).searchParams.get('team_id') === 't1'
            ? HttpResponse.json({
                team_id: 't1',
                team_info: team,
                keys: [{ token: 'd'.repeat(64) }],
                team_memberships: [],
              })
            : HttpResponse.json(
                proxyError(
                  'Team not found, passed team id: t2.',
                  'auth_error',
                  '404',
                ),
                { status: 404 },
              ),
        ),
        http.post(url('/team/update'), async ({ request }) => {
          const body = (await request.json()) as Record<string, unknown>;
          return body.team_id === 't1'
            ? HttpResponse.json({ team_id: 't1', data: { ...team, ...body } })
            : HttpResponse.json(
                {
                  detail: {
                    error: `Team not found, passed team_id=${body.team_id}`,
                  },
                },
                { status: 404 },
              );
        }),
        http.post(url('/team/member_add'), () =>
          HttpResponse.json({
            ...team,
            members_with_roles: [{ role: 'user', user_id: 'bob' }],
            updated_users: [{ user_id: 'bob', teams: ['t1'] }],
            updated_team_memberships: [
              { user_id: 'bob', team_id: 't1', budget_id: 'b1' },
            ],
          }),
        ),
        http.post(url('/team/member_delete'), () =>
          HttpResponse.json({ ...team, members_with_roles: [] }),
        ),
        http.get(url('/team/list'), () => HttpResponse.json([team])),
        http.post(url('/team/delete'), async ({ request }) =>
          HttpResponse.json({
            deleted_teams: ((await request.json()) as { team_ids: string[] })
              .team_ids,
          }),
        ),
      );
      const { client } = createTestClient();
      await expect(
        client.createTeam({
          team_id: 't1',
          team_alias: 'Team 1',
          models: ['gpt-4o'],
        }),
      ).resolves.toMatchObject({
        team_id: 't1',
        models: ['gpt-4o'],
      });
      await expect(client.getTeamInfo('t1')).resolves.toMatchObject({
        team_id: 't1',
        team_info: { team_alias: 'Team 1' },
        keys: [{ token: 'd'.repeat(64) }],
      });
      await expect(client.getTeamInfo('t2')).rejects.toBeInstanceOf(
        LiteLLMNotFoundError,
      );
      await expect(
        client.updateTeam('t1', { max_budget: 50 }),
      ).resolves.toMatchObject({
        team_id: 't1',
        data: { max_budget: 50 },
      });
      await expect(
        client.updateTeam('t9', { max_budget: 50 }),
      ).rejects.toBeInstanceOf(LiteLLMNotFoundError);
      await expect(
        client.addTeamMembers(
          't1',
          { role: 'user', user_id: 'bob' },
          { maxBudgetInTeam: 3 },
        ),
      ).resolves.toMatchObject({
        updated_team_memberships: [{ user_id: 'bob' }],
      });
      await expect(
        client.removeTeamMember('t1', { user_id: 'bob' }),
      ).resolves.toMatchObject({
        members_with_roles: [],
      });
      await expect(client.listTeams({ user_id: 'bob' })).resolves.toEqual([
        team,
      ]);
      await expect(client.deleteTeams(['t1'])).resolves.toEqual({
        deleted_teams: ['t1'],
      });
      const memberAdd = seen.find(r => r.path === '/team/member_add');
      expect(memberAdd?.body).toEqual({
        team_id: 't1',
        member: { role: 'user', user_id: 'bob' },
        max_budget_in_team: 3,
      });
      expect(seen.find(r => r.path === '/team/member_delete')?.body).toEqual({
        team_id: 't1',
        user_id: 'bob',
      });
    });

    it('accepts the /v2-style {teams} list too, and maps a duplicate member to Conflict', async () => {
      server.use(
        http.get(url('/team/list'), () =>
          HttpResponse.json({ teams: [{ team_id: 't1' }], total: 1 }),
        ),
        http.post(url('/team/member_add'), () =>
          HttpResponse.json(
            {
              detail: {
                error: "User=bob already in team. Existing members=['bob']",
              },
            },
            { status: 400 },
          ),
        ),
      );
      const { client } = createTestClient();
      await expect(client.listTeams()).resolves.toEqual([{ team_id: 't1' }]);
      await expect(
        client.addTeamMembers('t1', [{ role: 'user', user_id: 'bob' }]),
      ).rejects.toBeInstanceOf(LiteLLMConflictError);
    });
  });

  describe('budgets', () => {
    it('creates, reads, updates, lists and deletes budgets', async () => {
      const seen = recordRequests();
      const row = { budget_id: 'b1', max_budget: 10, budget_duration: '30d' };
      server.use(
        http.post(url('/budget/new'), async ({ request }) =>
          HttpResponse.json({ ...row, ...((await request.json()) as object) }),
        ),
        http.post(url('/budget/info'), () => HttpResponse.json([row])),
        http.post(url('/budget/update'), async ({ request }) =>
          HttpResponse.json({ ...row, ...((await request.json()) as object) }),
        ),
        http.get(url('/budget/list'), () => HttpResponse.json([row])),
        http.post(url('/budget/delete'), () => HttpResponse.json(row)),
      );
      const { client } = createTestClient();
      await expect(
        client.createBudget({ budget_id: 'b1', max_budget: 10 }),
      ).resolves.toMatchObject({ budget_id: 'b1' });
      await expect(client.getBudgets(['b1'])).resolves.toEqual([row]);
      await expect(client.getBudgets([])).resolves.toEqual([]);
      await expect(
        client.updateBudget('b1', { max_budget: 20 }),
      ).resolves.toMatchObject({ max_budget: 20 });
      await expect(client.listBudgets()).resolves.toEqual([row]);
      await expect(client.deleteBudget('b1')).resolves.toBeUndefined();
      expect(seen.map(r => `${r.method} ${r.path}`)).toEqual([
        'POST /budget/new',
        'POST /budget/info',
        'POST /budget/update',
        'GET /budget/list',
        'POST /budget/delete',
      ]);
      expect(seen[1].body).toEqual({ budgets: ['b1'] });
      expect(seen[4].body).toEqual({ id: 'b1' });
    });

    it('maps a duplicate budget id to Conflict', async () => {
      server.use(
        http.post(url('/budget/new'), () =>
          HttpResponse.json(
            { detail: { error: "Budget with id 'b1' already exists." } },
            { status: 400 },
          ),
        ),
      );
      const { client } = createTestClient();
      await expect(
        client.createBudget({ budget_id: 'b1' }),
      ).rejects.toBeInstanceOf(LiteLLMConflictError);
    });
  });

  describe('spend and daily activity', () => {
    const metrics = (
      spend: number,
      prompt: number,
      completion: number,
      requests: number,
    ) => ({
      spend,
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
      api_requests: requests,
      successful_requests: requests,
      failed_requests: 0,
    });
    const keyA = 'a'.repeat(64);
    const keyB = 'b'.repeat(64);
    // Paging is over raw rows: 2025-06-02 is split across pages 1 and 2.
    const pages = [
      [
        {
          date: '2025-06-02',
          metrics: metrics(1, 10, 20, 1),
          breakdown: {
            models: {
              'gpt-4o': {
                metrics: metrics(1, 10, 20, 1),
                metadata: {},
                api_key_breakdown: {
                  [keyA]: {
                    metrics: metrics(1, 10, 20, 1),
                    metadata: { key_alias: 'a' },
                  },
                },
              },
            },
            api_keys: {
              [keyA]: {
                metrics: metrics(1, 10, 20, 1),
                metadata: { key_alias: 'a' },
              },
            },
            providers: {
              openai: { metrics: metrics(1, 10, 20, 1), metadata: {} },
            },
          },
        },
      ],
      [
        {
          date: '2025-06-02',
          metrics: metrics(2, 10, 20, 1),
          breakdown: {
            models: {
              'gpt-4o': {
                metrics: metrics(2, 10, 20, 1),
                metadata: {},
                api_key_breakdown: {
                  [keyB]: {
                    metrics: metrics(2, 10, 20, 1),
                    metadata: { key_alias: 'b' },
                  },
                },
              },
            },
            api_keys: {
              [keyB]: {
                metrics: metrics(2, 10, 20, 1),
                metadata: { key_alias: 'b' },
              },
            },
            providers: {
              openai: { metrics: metrics(2, 10, 20, 1), metadata: {} },
            },
          },
        },
        {
          date: '2025-06-01',
          metrics: { ...metrics(0.5, 5, 5, 1), flat_cost: 0.1 },
          breakdown: {
            api_keys: {
              [keyA]: {
                metrics: metrics(0.5, 5, 5, 1),
                metadata: { key_alias: 'a' },
              },
            },
          },
        },
      ],
      [
        {
          date: '2025-05-31',
          metrics: metrics(0.25, 1, 1, 2),
          breakdown: {},
        },
      ],
    ];
    const pageBody = (page: number) => {
      const results = pages[page - 1] ?? [];
      const pageTotals = results.reduce((s, r) => s + r.metrics.spend, 0);
      return {
        results,
        metadata: {
          total_spend: pageTotals,
          page,
          total_pages: pages.length,
          has_more: page < pages.length,
          future_field: 'x',
        },
      };
    };

    it('walks all pages of /user/daily/activity and merges split days', async () => {
      const seen = recordRequests();
      server.use(
        http.get(url('/user/daily/activity'), ({ request }) =>
          HttpResponse.json(
            pageBody(Number(new URL(request.url).searchParams.get('page'))),
          ),
        ),
      );
      const { client } = createTestClient();
      const report = await client.getUserDailyActivity({
        start_date: '2025-05-31',
        end_date: '2025-06-02',
        user_id: 'alice',
        page_size: 1,
      });
      expect(seen.map(r => r.query.get('page'))).toEqual(['1', '2', '3']);
      expect(seen[0].query.get('user_id')).toBe('alice');
      expect(seen[0].query.get('start_date')).toBe('2025-05-31');
      expect(report.pages).toBe(3);
      expect(report.results.map(r => r.date)).toEqual([
        '2025-06-02',
        '2025-06-01',
        '2025-05-31',
      ]);
      const june2 = report.results[0];
      expect(june2.metrics).toMatchObject({
        spend: 3,
        api_requests: 2,
        total_tokens: 60,
      });
      expect(june2.breakdown.models?.['gpt-4o'].metrics.spend).toBe(3);
      expect(
        Object.keys(june2.breakdown.models?.['gpt-4o'].api_key_breakdown ?? {}),
      ).toEqual([keyA, keyB]);
      expect(june2.breakdown.api_keys?.[keyB].metadata).toEqual({
        key_alias: 'b',
      });
      expect(june2.breakdown.providers?.openai.metrics.api_requests).toBe(2);
      expect(report.totals).toMatchObject({
        spend: 3.75,
        prompt_tokens: 26,
        completion_tokens: 46,
        total_tokens: 72,
        api_requests: 5,
        successful_requests: 5,
        failed_requests: 0,
        flat_cost: 0.1,
      });
    });

    it('yields each page through the async iterator, from a given page', async () => {
      server.use(
        http.get(url('/user/daily/activity'), ({ request }) =>
          HttpResponse.json(
            pageBody(Number(new URL(request.url).searchParams.get('page'))),
          ),
        ),
      );
      const { client } = createTestClient();
      const walked = await collect(
        client.iterateUserDailyActivity({
          start_date: '2025-05-31',
          end_date: '2025-06-02',
          page: 2,
        }),
      );
      expect(walked.map(p => p.metadata.page)).toEqual([2, 3]);
      expect(walked[0].metadata.future_field).toBe('x');
      expect(walked[0].results[1].metrics.flat_cost).toBe(0.1);
    });

    it('walks /team/daily/activity with comma-separated team ids and hashes api_key', async () => {
      const seen = recordRequests();
      server.use(
        http.get(url('/team/daily/activity'), ({ request }) =>
          HttpResponse.json(
            pageBody(Number(new URL(request.url).searchParams.get('page'))),
          ),
        ),
      );
      const { client } = createTestClient();
      const secret = fakeSecret('t');
      const report = await client.getTeamDailyActivity({
        start_date: '2025-05-31',
        end_date: '2025-06-02',
        team_ids: ['t1', 't2'],
        api_key: secret,
      });
      expect(report.totals.spend).toBe(3.75);
      expect(seen).toHaveLength(3);
      expect(seen[0].query.get('team_ids')).toBe('t1,t2');
      expect(seen[0].query.get('api_key')).toBe(hashLiteLLMKey(secret));
    });

    it('stops when the metadata has no paging fields (single page)', async () => {
      server.use(
        http.get(url('/user/daily/activity'), () =>
          HttpResponse.json({ results: pages[0], metadata: {} }),
        ),
      );
      const { client } = createTestClient();
      const report = await client.getUserDailyActivity({
        start_date: '2025-06-02',
        end_date: '2025-06-02',
      });
      expect(report.pages).toBe(1);
      expect(report.totals.spend).toBe(1);
    });

    it('maps the missing-dates 400 to LiteLLMBadRequestError', async () => {
      server.use(
        http.get(url('/user/daily/activity'), () =>
          HttpResponse.json(
            { detail: { error: 'Please provide start_date and end_date' } },
            { status: 400 },
          ),
        ),
      );
      const { client } = createTestClient();
      const error = await client
        .getUserDailyActivityPage({ start_date: '', end_date: '' })
        .catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMBadRequestError);
      expect(error.detail).toBe('Please provide start_date and end_date');
    });

    it('reads legacy spend logs and walks /spend/logs/ui pages', async () => {
      const seen = recordRequests();
      const secret = fakeSecret('s');
      server.use(
        http.get(url('/spend/logs'), () =>
          HttpResponse.json([
            {
              request_id: 'r1',
              api_key: hashLiteLLMKey(secret),
              spend: 0.1,
              model: 'gpt-4o',
            },
          ]),
        ),
        http.get(url('/spend/logs/ui'), ({ request }) => {
          const page = Number(new URL(request.url).searchParams.get('page'));
          return HttpResponse.json({
            data:
              page === 1
                ? [{ request_id: 'r1' }, { request_id: 'r2' }]
                : [{ request_id: 'r3' }],
            total: 3,
            page,
            page_size: 2,
            total_pages: 2,
          });
        }),
      );
      const { client } = createTestClient();
      await expect(
        client.getSpendLogs({
          api_key: secret,
          start_date: '2025-06-01',
          end_date: '2025-06-02',
          summarize: false,
        }),
      ).resolves.toEqual([expect.objectContaining({ request_id: 'r1' })]);
      expect(seen[0].query.get('api_key')).toBe(hashLiteLLMKey(secret));
      expect(seen[0].query.get('summarize')).toBe('false');
      const rows = await collect(
        client.iterateSpendLogs({
          start_date: '2025-06-01 00:00:00',
          end_date: '2025-06-02 23:59:59',
          page_size: 2,
        }),
      );
      expect(rows.map(r => r.request_id)).toEqual(['r1', 'r2', 'r3']);
    });
  });

  describe('secrets', () => {
    it('keeps a secret echoed by LiteLLM out of the error and out of every log line', async () => {
      const secret = fakeSecret('E');
      server.use(
        http.post(url('/key/generate'), () =>
          HttpResponse.json(
            proxyError(
              `Authentication Error, Invalid proxy server token passed. Received API Key = ${secret}, Key Hash (Token) =${hashLiteLLMKey(
                secret,
              )}.`,
              'token_not_found_in_db',
              '401',
              secret,
            ),
            { status: 401 },
          ),
        ),
        http.get(url('/key/info'), () =>
          HttpResponse.json(
            {
              detail: [
                {
                  type: 'x',
                  loc: ['query', secret],
                  msg: `bad ${secret}`,
                  input: secret,
                },
              ],
            },
            { status: 422 },
          ),
        ),
        http.get(url('/user/info'), () =>
          HttpResponse.text(`upstream crashed with ${secret}`, { status: 502 }),
        ),
      );
      const { client, masterKey, loggedLines } = createTestClient({
        retry: { maxAttempts: 2 },
      });
      const errors = [
        await client.generateKey({ key: secret }).catch(e => e),
        await client.getKeyInfo('9'.repeat(64)).catch(e => e),
        await client.getUserInfo('alice').catch(e => e),
      ];
      expect(errors.map(e => e.name)).toEqual([
        'LiteLLMAuthError',
        'LiteLLMBadRequestError',
        'LiteLLMUnavailableError',
      ]);
      const everything = [
        ...errors.map(
          e =>
            `${e.message} ${e.detail} ${e.param} ${JSON.stringify(e)} ${
              e.stack
            }`,
        ),
        ...loggedLines(),
      ].join('\n');
      expect(loggedLines().length).toBeGreaterThanOrEqual(4);
      expect(everything).toContain('sk-...EEEE');
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(masterKey);
      expect(everything).not.toMatch(/sk-[A-Za-z0-9_-]{5,}/);
    });

    it('logs with structured metadata and never a body or a header', async () => {
      server.use(
        http.get(url('/key/info'), () =>
          HttpResponse.json({ key: 'h', info: { key_name: 'sk-...abcd' } }),
        ),
      );
      const { client, logger } = createTestClient();
      await client.getKeyInfo('h'.repeat(64));
      expect(logger.debug).toHaveBeenCalledWith('LiteLLM call', {
        method: 'GET',
        path: '/key/info',
        status: 200,
        durationMs: expect.any(Number),
        attempt: 1,
      });
    });
  });
});
