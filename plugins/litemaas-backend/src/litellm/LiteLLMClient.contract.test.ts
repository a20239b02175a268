/*
 * Contract tests: the client against the LiteLLM emulator (a real HTTP server, no msw).
 * The same scenarios as the msw tests, run on the emulator's [new] defaults and its [old]
 * switches. If one of these fails while the msw tests pass, the emulator and the fact
 * sheet disagree: report it rather than bending the client.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { startEmulator } from '@litemaas/litellm-emulator';
import {
  createLiteLLMError,
  LiteLLMBudgetExceededError,
  LiteLLMConflictError,
  LiteLLMEnterpriseFeatureError,
  LiteLLMModelNotAllowedError,
  LiteLLMNotFoundError,
  LiteLLMUnavailableError,
  LiteLLMAuthError,
} from './errors';
import { LiteLLMClient, LiteLLMClientTuning } from './LiteLLMClient';
import { hashLiteLLMKey } from './redact';
import { collect, fakeClock, fakeSecret } from './__testUtils__/helpers';

jest.setTimeout(30_000);

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Behaviour = NonNullable<Parameters<typeof startEmulator>[0]>['behaviour'];

const masterKey = fakeSecret('K');
const running: Emulator[] = [];

async function setup(
  behaviour: Behaviour = {},
  tuning: LiteLLMClientTuning = {},
) {
  const emu = await startEmulator({ port: 0, masterKey, behaviour });
  running.push(emu);
  const logger = mockServices.logger.mock();
  const client = LiteLLMClient.fromConfig(
    mockServices.rootConfig({
      data: {
        litemaas: {
          litellm: {
            baseUrl: emu.url,
            masterKey: emu.masterKey,
            timeoutMs: tuning.timeoutMs ?? 2_000,
          },
        },
      },
    }),
    { logger },
    { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, ...tuning },
  );
  const loggedLines = () =>
    (['debug', 'info', 'warn', 'error'] as const).flatMap(level =>
      (logger[level] as jest.Mock).mock.calls.map(
        args => `${level} ${JSON.stringify(args)}`,
      ),
    );
  return { emu, client, logger, loggedLines };
}

afterEach(() => jest.useRealTimers());

afterAll(async () => {
  await Promise.all(running.map(emu => emu.close()));
});

/** A data-plane call as a key holder makes it (the client itself is management-only). */
async function chat(
  emu: Emulator,
  key: string,
  model: string,
  content = 'Hello there',
) {
  const response = await fetch(`${emu.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${key}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
  return { status: response.status, text: await response.text() };
}

const today = (emu: Emulator) => emu.now().toISOString().slice(0, 10);

describe('LiteLLMClient against the emulator (contract)', () => {
  describe('keys', () => {
    it('generate → info (raw and hash) → update → block/unblock → regenerate → delete → 404', async () => {
      const { emu, client, loggedLines } = await setup();
      const [model] = (await client.listModels()).map(m => m.id);

      const generated = await client.generateKey({
        key_alias: 'contract-lifecycle',
        models: [model],
        user_id: 'alice',
        max_budget: 10,
        metadata: { litemaas: true },
      });
      expect(generated.key).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
      expect(generated.key_name).toBe(`sk-...${generated.key.slice(-4)}`);
      expect(generated.token).toBe(hashLiteLLMKey(generated.key));

      const byRaw = await client.getKeyInfo(generated.key);
      const byHash = await client.getKeyInfo(generated.token);
      expect(byRaw).toEqual(byHash);
      expect(byRaw).toMatchObject({
        token: generated.token,
        key_alias: 'contract-lifecycle',
        key_name: generated.key_name,
        models: [model],
        user_id: 'alice',
        max_budget: 10,
      });
      // LiteLLM accepts the raw key too (the client itself only ever sends the hash).
      const raw = await fetch(
        `${emu.url}/key/info?key=${encodeURIComponent(generated.key)}`,
        { headers: { Authorization: `Bearer ${masterKey}` } },
      );
      expect(raw.status).toBe(200);

      const updated = await client.updateKey(generated.key, {
        max_budget: 20,
        metadata: { litemaas: true, plan: 'gold' },
      });
      expect(updated).toMatchObject({ key: generated.token, max_budget: 20 });
      await expect(client.getKeyInfo(generated.token)).resolves.toMatchObject({
        max_budget: 20,
        metadata: expect.objectContaining({ plan: 'gold' }),
      });

      await expect(client.blockKey(generated.key)).resolves.toMatchObject({
        blocked: true,
      });
      const blockedCall = await chat(emu, generated.key, model);
      expect(blockedCall.status).toBe(401);
      expect(
        createLiteLLMError(blockedCall.status, blockedCall.text, {
          method: 'POST',
          path: '/v1/chat/completions',
        }),
      ).toBeInstanceOf(LiteLLMAuthError);
      await expect(client.unblockKey(generated.token)).resolves.toMatchObject({
        blocked: false,
      });
      expect((await chat(emu, generated.key, model)).status).toBe(200);

      const regenerated = await client.regenerateKey(generated.key);
      expect(regenerated.key).not.toBe(generated.key);
      expect(regenerated.token).toBe(hashLiteLLMKey(regenerated.key));
      expect(regenerated.token).not.toBe(generated.token);
      await expect(client.getKeyInfo(generated.token)).rejects.toBeInstanceOf(
        LiteLLMNotFoundError,
      );
      await expect(client.getKeyInfo(regenerated.key)).resolves.toMatchObject({
        key_alias: 'contract-lifecycle',
        max_budget: 20,
      });

      await expect(client.deleteKeys([regenerated.key])).resolves.toEqual({
        deleted_keys: [regenerated.token],
      });
      const gone = await client.getKeyInfo(regenerated.token).catch(e => e);
      expect(gone).toBeInstanceOf(LiteLLMNotFoundError);
      expect(gone).toMatchObject({
        status: 404,
        litellmType: 'not_found_error',
        code: 404,
      });
      await expect(
        client.deleteKeys([regenerated.token]),
      ).rejects.toBeInstanceOf(LiteLLMNotFoundError);
      await expect(
        client.updateKey(regenerated.token, { max_budget: 1 }),
      ).rejects.toBeInstanceOf(LiteLLMNotFoundError);

      const logs = loggedLines().join('\n');
      for (const secret of [generated.key, regenerated.key, masterKey]) {
        expect(logs).not.toContain(secret);
      }
    });

    it('rejects a duplicate alias (generate and update) with LiteLLMConflictError', async () => {
      const { client } = await setup();
      await client.generateKey({ key_alias: 'dup-alias' });
      const other = await client.generateKey({ key_alias: 'other-alias' });
      const onGenerate = await client
        .generateKey({ key_alias: 'dup-alias' })
        .catch(e => e);
      expect(onGenerate).toBeInstanceOf(LiteLLMConflictError);
      expect(onGenerate).toMatchObject({ status: 400, param: 'key_alias' });
      await expect(
        client.updateKey(other.key, { key_alias: 'dup-alias' }),
      ).rejects.toBeInstanceOf(LiteLLMConflictError);
      // updating a key to its own alias is fine
      await expect(
        client.updateKey(other.key, { key_alias: 'other-alias' }),
      ).resolves.toBeDefined();
    });

    it('lists key hashes and walks full key pages', async () => {
      const { client } = await setup();
      const made = [];
      for (let i = 0; i < 5; i++) {
        made.push(
          await client.generateKey({
            user_id: 'lister',
            key_alias: `list-${i}`,
          }),
        );
      }
      const page = await client.listKeyHashes({ user_id: 'lister', size: 2 });
      expect(page).toMatchObject({
        total_count: 5,
        total_pages: 3,
        current_page: 1,
      });
      expect(page.keys).toHaveLength(2);
      const all = await collect(
        client.iterateKeys({ user_id: 'lister', size: 2 }),
      );
      expect(all.map(k => k.token).sort()).toEqual(
        made.map(k => k.token).sort(),
      );
      expect(all.every(k => typeof k.key_alias === 'string')).toBe(true);
    });

    it('reports the enterprise-only regenerate 500 (regenerate: enterprise500)', async () => {
      const { client } = await setup({ regenerate: 'enterprise500' });
      const key = await client.generateKey({});
      const error = await client.regenerateKey(key.key).catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMEnterpriseFeatureError);
      expect(error.status).toBe(500);
      expect(client.circuitState).toBe('closed');
      // The key is untouched; the portal's rotation does not depend on this endpoint
      // (routes/keys.test.ts: "rotates a key on a LiteLLM without the enterprise regenerate").
      await expect(client.getKeyInfo(key.token)).resolves.toMatchObject({
        token: key.token,
      });
    });

    it.each(['string', 'number'] as const)(
      'parses error codes sent as a %s',
      async errorCodeType => {
        const { client } = await setup({ errorCodeType });
        const error = await client.getKeyInfo('0'.repeat(64)).catch(e => e);
        expect(error).toBeInstanceOf(LiteLLMNotFoundError);
        expect(error.code).toBe(404);
      },
    );
  });

  describe('users', () => {
    it.each(['404', 'empty200'] as const)(
      'creates, reads, updates and deletes users; unknown users are undefined (userInfoUnknown: %s)',
      async userInfoUnknown => {
        const { client } = await setup({ userInfoUnknown });
        const user = await client.createUser({
          user_id: 'alice',
          user_email: 'alice@example.com',
          user_role: 'internal_user',
          max_budget: 5,
        });
        expect(user).toMatchObject({ user_id: 'alice', key: '' });
        await expect(client.getUserInfo('alice')).resolves.toMatchObject({
          user_id: 'alice',
          user_info: { user_id: 'alice', max_budget: 5 },
          keys: [],
        });
        await expect(client.getUserInfo('nobody')).resolves.toBeUndefined();

        await expect(
          client.updateUser('alice', { max_budget: 7 }),
        ).resolves.toMatchObject({
          user_id: 'alice',
          data: expect.objectContaining({ max_budget: 7 }),
        });
        const key = await client.generateKey({ user_id: 'alice' });
        await expect(client.getUserInfo('alice')).resolves.toMatchObject({
          keys: [expect.objectContaining({ token: key.token })],
        });
        await expect(
          client.listUsers({ page_size: 10 }),
        ).resolves.toMatchObject({
          users: [expect.objectContaining({ user_id: 'alice' })],
        });
        await client.deleteUsers(['alice']);
        await expect(client.getUserInfo('alice')).resolves.toBeUndefined();
        await expect(client.getKeyInfo(key.token)).rejects.toBeInstanceOf(
          LiteLLMNotFoundError,
        );
        await expect(client.deleteUsers(['alice'])).rejects.toBeInstanceOf(
          LiteLLMNotFoundError,
        );
      },
    );

    it('rejects a duplicate user with LiteLLMConflictError (409)', async () => {
      const { client } = await setup();
      await client.createUser({ user_id: 'bob' });
      const error = await client.createUser({ user_id: 'bob' }).catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMConflictError);
      expect(error.status).toBe(409);
      expect(error.detail).toBe('User with id bob already exists');
    });
  });

  describe('teams', () => {
    it('new → member add → info → member delete → delete', async () => {
      const { client } = await setup();
      const team = await client.createTeam({
        team_id: 'team-a',
        team_alias: 'Team A',
        models: ['gpt-4o'],
        max_budget: 100,
      });
      expect(team).toMatchObject({ team_id: 'team-a', team_alias: 'Team A' });
      await expect(
        client.createTeam({ team_id: 'team-a' }),
      ).rejects.toBeInstanceOf(LiteLLMConflictError);

      const added = await client.addTeamMembers(
        'team-a',
        { role: 'user', user_id: 'carol' },
        { maxBudgetInTeam: 10 },
      );
      expect(added.members_with_roles).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ user_id: 'carol', role: 'user' }),
        ]),
      );
      await expect(
        client.addTeamMembers('team-a', { role: 'user', user_id: 'carol' }),
      ).rejects.toBeInstanceOf(LiteLLMConflictError);
      // team admins are a premium feature on LiteLLM OSS
      await expect(
        client.addTeamMembers('team-a', { role: 'admin', user_id: 'dave' }),
      ).rejects.toBeInstanceOf(LiteLLMEnterpriseFeatureError);

      const teamKey = await client.generateKey({
        team_id: 'team-a',
        user_id: 'carol',
      });
      const info = await client.getTeamInfo('team-a');
      expect(info.team_info).toMatchObject({
        team_id: 'team-a',
        max_budget: 100,
      });
      expect(info.keys.map(k => k.token)).toEqual([teamKey.token]);
      // (the master key's default_user_id is auto-added as admin: a documented LiteLLM quirk)
      expect(info.team_memberships).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ user_id: 'carol', team_id: 'team-a' }),
        ]),
      );
      await expect(
        client.updateTeam('team-a', { max_budget: 200 }),
      ).resolves.toMatchObject({
        data: expect.objectContaining({ max_budget: 200 }),
      });
      await expect(client.listTeams()).resolves.toEqual([
        expect.objectContaining({ team_id: 'team-a' }),
      ]);

      const removed = await client.removeTeamMember('team-a', {
        user_id: 'carol',
      });
      expect(removed.members_with_roles?.some(m => m.user_id === 'carol')).toBe(
        false,
      );
      await expect(
        client.removeTeamMember('team-a', { user_id: 'carol' }),
      ).rejects.toBeInstanceOf(LiteLLMNotFoundError);

      await expect(client.deleteTeams(['team-a'])).resolves.toEqual({
        deleted_teams: ['team-a'],
      });
      await expect(client.getTeamInfo('team-a')).rejects.toBeInstanceOf(
        LiteLLMNotFoundError,
      );
      await expect(client.getKeyInfo(teamKey.token)).rejects.toBeInstanceOf(
        LiteLLMNotFoundError,
      );
      await expect(client.deleteTeams(['team-a'])).rejects.toBeInstanceOf(
        LiteLLMNotFoundError,
      );
      await expect(
        client.updateTeam('team-a', { max_budget: 1 }),
      ).rejects.toBeInstanceOf(LiteLLMNotFoundError);
    });
  });

  describe('models, health and budgets', () => {
    it('reads model info, models and health', async () => {
      const { client } = await setup();
      const info = await client.getModelInfo();
      expect(info.length).toBeGreaterThan(0);
      expect(info[0]).toMatchObject({
        model_name: expect.any(String),
        litellm_params: { model: expect.any(String) },
        model_info: { id: expect.any(String) },
      });
      const models = await client.listModels();
      expect(models.map(m => m.id)).toEqual(
        expect.arrayContaining([...new Set(info.map(m => m.model_name))]),
      );
      await expect(client.getLiveliness()).resolves.toBe("I'm alive!");
      await expect(client.getReadiness()).resolves.toMatchObject({
        db: 'connected',
      });
    });

    it('creates, reads, updates, lists and deletes budgets', async () => {
      const { client } = await setup();
      await expect(
        client.createBudget({
          budget_id: 'gold',
          max_budget: 50,
          budget_duration: '30d',
        }),
      ).resolves.toMatchObject({ budget_id: 'gold', max_budget: 50 });
      await expect(
        client.createBudget({ budget_id: 'gold' }),
      ).rejects.toBeInstanceOf(LiteLLMConflictError);
      await expect(client.getBudgets(['gold'])).resolves.toEqual([
        expect.objectContaining({ budget_id: 'gold', max_budget: 50 }),
      ]);
      await expect(
        client.updateBudget('gold', { max_budget: 60 }),
      ).resolves.toMatchObject({
        max_budget: 60,
      });
      await expect(client.listBudgets()).resolves.toEqual([
        expect.objectContaining({ budget_id: 'gold', max_budget: 60 }),
      ]);
      await client.deleteBudget('gold');
      await expect(client.listBudgets()).resolves.toEqual([]);
    });
  });

  describe('usage', () => {
    it('walks daily activity pages after chat completions and totals them', async () => {
      const { emu, client } = await setup();
      await client.createTeam({ team_id: 'team-u', team_alias: 'Usage' });
      await client.createUser({ user_id: 'erin' });
      const personal = await client.generateKey({
        user_id: 'erin',
        key_alias: 'erin-personal',
      });
      const teamKey = await client.generateKey({
        user_id: 'erin',
        team_id: 'team-u',
      });
      const calls: Array<[string, string]> = [
        [personal.key, 'gpt-4o'],
        [personal.key, 'gpt-4o-mini'],
        [personal.key, 'gpt-4o'],
        [teamKey.key, 'gpt-4o'],
      ];
      for (const [key, model] of calls) {
        expect((await chat(emu, key, model)).status).toBe(200);
      }
      const date = today(emu);

      const pages = await collect(
        client.iterateUserDailyActivity({
          start_date: date,
          end_date: date,
          user_id: 'erin',
          page_size: 1,
        }),
      );
      // one raw row per (key, model): 3 rows → 3 pages of one row each
      expect(pages.map(p => p.metadata.page)).toEqual([1, 2, 3]);
      expect(pages.every(p => p.results.length === 1)).toBe(true);

      const report = await client.getUserDailyActivity({
        start_date: date,
        end_date: date,
        user_id: 'erin',
        page_size: 1,
      });
      expect(report.pages).toBe(3);
      expect(report.results).toHaveLength(1);
      expect(report.results[0].date).toBe(date);
      expect(report.totals.api_requests).toBe(4);
      expect(report.totals.successful_requests).toBe(4);
      expect(report.totals.total_tokens).toBe(
        report.totals.prompt_tokens + report.totals.completion_tokens,
      );
      const day = report.results[0];
      expect(day.breakdown.models?.['gpt-4o'].metrics.api_requests).toBe(3);
      expect(
        day.breakdown.api_keys?.[personal.token].metrics.api_requests,
      ).toBe(3);
      expect(day.breakdown.api_keys?.[personal.token].metadata).toMatchObject({
        key_alias: 'erin-personal',
      });

      const spendOfKeys =
        ((await client.getKeyInfo(personal.token)).spend ?? 0) +
        ((await client.getKeyInfo(teamKey.token)).spend ?? 0);
      expect(spendOfKeys).toBeGreaterThan(0);
      expect(report.totals.spend).toBeCloseTo(spendOfKeys, 10);

      const byKey = await client.getUserDailyActivity({
        start_date: date,
        end_date: date,
        api_key: personal.key,
      });
      expect(byKey.totals.api_requests).toBe(3);

      const team = await client.getTeamDailyActivity({
        start_date: date,
        end_date: date,
        team_ids: ['team-u'],
        page_size: 1,
      });
      expect(team.totals.api_requests).toBe(1);
      expect(Object.keys(team.results[0].breakdown.entities ?? {})).toEqual([
        'team-u',
      ]);

      const logs = await client.getSpendLogs({
        api_key: personal.key,
        summarize: false,
      });
      expect(logs).toHaveLength(3);
      expect(logs.every(l => l.api_key === personal.token)).toBe(true);
      const paged = await collect(
        client.iterateSpendLogs({
          start_date: `${date} 00:00:00`,
          end_date: `${date} 23:59:59`,
          page_size: 1,
        }),
      );
      expect(paged).toHaveLength(4);
    });
  });

  describe('data-plane errors, version switches', () => {
    it.each([429, 400] as const)(
      'classifies an exhausted key budget as LiteLLMBudgetExceededError (budgetExceededStatus: %i)',
      async budgetExceededStatus => {
        const { emu, client } = await setup({ budgetExceededStatus });
        const key = await client.generateKey({ max_budget: 0.000000001 });
        await chat(emu, key.key, 'gpt-4o');
        const refused = await chat(emu, key.key, 'gpt-4o');
        expect(refused.status).toBe(budgetExceededStatus);
        const error = createLiteLLMError(refused.status, refused.text, {
          method: 'POST',
          path: '/v1/chat/completions',
        });
        expect(error).toBeInstanceOf(LiteLLMBudgetExceededError);
        expect(error.message).not.toContain(key.key);
      },
    );

    it.each([403, 401] as const)(
      'classifies a model outside the key list as LiteLLMModelNotAllowedError (modelNotAllowedStatus: %i)',
      async modelNotAllowedStatus => {
        const { emu, client } = await setup({ modelNotAllowedStatus });
        const key = await client.generateKey({ models: ['gpt-4o-mini'] });
        const refused = await chat(emu, key.key, 'gpt-4o');
        expect(refused.status).toBe(modelNotAllowedStatus);
        expect(
          createLiteLLMError(refused.status, refused.text, {
            method: 'POST',
            path: '/v1/chat/completions',
          }),
        ).toBeInstanceOf(LiteLLMModelNotAllowedError);
      },
    );

    it('never lets an echoed key reach the error message (deleted key on the data plane)', async () => {
      const { emu, client } = await setup();
      const key = await client.generateKey({});
      await client.deleteKeys([key.token]);
      const refused = await chat(emu, key.key, 'gpt-4o');
      expect(refused.status).toBe(401);
      const error = createLiteLLMError(refused.status, refused.text, {
        method: 'POST',
        path: '/v1/chat/completions',
      });
      expect(error).toBeInstanceOf(LiteLLMAuthError);
      expect(`${error.message} ${error.detail} ${error.param}`).not.toContain(
        key.key,
      );
    });
  });

  describe('faults', () => {
    it('retries an idempotent read through one injected 503', async () => {
      const { emu, client, logger } = await setup();
      emu.injectFault({ path: '/model/info', status: 503, times: 1 });
      await expect(client.getModelInfo()).resolves.not.toHaveLength(0);
      expect(logger.info).toHaveBeenCalledWith(
        'Retrying LiteLLM call',
        expect.objectContaining({ path: '/model/info', attempt: 1 }),
      );
    });

    it('sends a failing key generate exactly once', async () => {
      const { emu, client } = await setup();
      emu.injectFault({ path: '/key/generate', status: 503, times: 1 });
      const error = await client
        .generateKey({ key_alias: 'once' })
        .catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMUnavailableError);
      // the fault was used up by the single attempt: the next call goes through
      await expect(
        client.generateKey({ key_alias: 'once' }),
      ).resolves.toMatchObject({
        key_alias: 'once',
      });
    });

    it('times out a slow answer as unavailable', async () => {
      const { emu, client } = await setup(
        {},
        { timeoutMs: 100, retry: { maxAttempts: 1 } },
      );
      emu.injectFault({ path: '/v1/models', latencyMs: 1_000, times: 1 });
      await expect(client.listModels()).rejects.toMatchObject({
        name: 'LiteLLMUnavailableError',
        reason: 'timeout',
      });
    });

    it('reports a dropped connection as unavailable, then answers again', async () => {
      // A timeout far above how long the drop can take on busy cores: with the 100 ms
      // of the slow case, a full test run once saw the drop arrive as a timeout.
      const { emu, client } = await setup(
        {},
        { timeoutMs: 10_000, retry: { maxAttempts: 1 } },
      );
      emu.injectFault({ path: '/v1/models', drop: true, times: 1 });
      await expect(client.listModels()).rejects.toMatchObject({
        name: 'LiteLLMUnavailableError',
        reason: 'network',
      });
      await expect(client.listModels()).resolves.not.toHaveLength(0);
    });

    it('opens the circuit, fails fast, then half-opens and closes once LiteLLM is back', async () => {
      // Jest fakes Date only: the emulator, fetch and timeouts keep real timers
      const clock = fakeClock();
      const { emu, client } = await setup(
        {},
        {
          retry: { maxAttempts: 1 },
          circuitBreaker: { failureThreshold: 3, cooldownMs: 5_000 },
        },
      );
      emu.injectFault({ path: '/v1/models', status: 502, times: 3 });
      for (let i = 0; i < 3; i++) {
        await expect(client.listModels()).rejects.toMatchObject({
          reason: 'http',
        });
      }
      expect(client.circuitState).toBe('open');
      // the emulator would answer now, but the open circuit does not even try
      await expect(client.listModels()).rejects.toMatchObject({
        reason: 'circuit-open',
      });
      clock.advance(5_000);
      expect(client.circuitState).toBe('half-open');
      await expect(client.listModels()).resolves.not.toHaveLength(0);
      expect(client.circuitState).toBe('closed');
    });

    it('reports a stopped LiteLLM as unavailable (network)', async () => {
      const { emu, client } = await setup({}, { retry: { maxAttempts: 2 } });
      await emu.close();
      const error = await client.getLiveliness().catch(e => e);
      expect(error).toBeInstanceOf(LiteLLMUnavailableError);
      expect(error.reason).toBe('network');
      expect(error.message).toMatch(/unreachable/);
    });
  });
});
