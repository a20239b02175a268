import { startEmulator, RunningEmulator } from './index';
import { api, chat, mintKey } from './__testUtils__/http';
import { sha256Hex } from './util';

describe('management API', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('mints keys with sha256 ids, key_name and global alias uniqueness', async () => {
    const a = await mintKey(emu, { key_alias: 'team-a/prod', user_id: 'u1' });
    expect(a.key).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
    expect(a.token).toBe(sha256Hex(a.key));
    expect(a.res.key_name).toBe(`sk-...${a.key.slice(-4)}`);

    const dup = await api(emu, 'POST', '/key/generate', {
      key_alias: 'team-a/prod',
      user_id: 'someone-else',
    });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({
      error: {
        message:
          "Key with alias 'team-a/prod' already exists. Unique key aliases across all keys are required.",
        type: 'bad_request_error',
        param: 'key_alias',
        code: '400',
      },
    });

    // Update: keeping its own alias is fine, taking another key's alias is not.
    const b = await mintKey(emu, { key_alias: 'other' });
    expect(
      (
        await api(emu, 'POST', '/key/update', {
          key: a.token,
          key_alias: 'team-a/prod',
          max_budget: 5,
        })
      ).status,
    ).toBe(200);
    const clash = await api(emu, 'POST', '/key/update', {
      key: b.key,
      key_alias: 'team-a/prod',
    });
    expect(clash.status).toBe(400);
    expect(clash.body.error.param).toBe('key_alias');

    const badPrefix = await api(emu, 'POST', '/key/generate', {
      key: 'abcd-not-a-key-wxyz',
    });
    expect(badPrefix.status).toBe(400);
    expect(badPrefix.body.error.message).toBe(
      "Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: abcd****wxyz",
    );
    const negative = await api(emu, 'POST', '/key/generate', {
      max_budget: -1,
    });
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toBe(
      'max_budget cannot be negative. Received: -1',
    );
  });

  it('accepts the raw key or its hash everywhere and only exposes hashes in lists', async () => {
    const { key, token } = await mintKey(emu, {
      key_alias: 'k1',
      user_id: 'u1',
    });
    for (const ref of [key, token]) {
      const info = await api(
        emu,
        'GET',
        `/key/info?key=${encodeURIComponent(ref)}`,
      );
      expect(info.status).toBe(200);
      expect(info.body.key).toBe(ref);
      expect(info.body.info.key_alias).toBe('k1');
      expect(info.body.info.token).toBeUndefined();
    }
    expect(
      (await api(emu, 'POST', '/key/update', { key: token, rpm_limit: 7 }))
        .body,
    ).toEqual({ key: token, rpm_limit: 7 });
    expect(
      (await api(emu, 'POST', '/key/block', { key: token })).body.token,
    ).toBe(token);
    expect((await api(emu, 'POST', '/key/unblock', { key })).body.blocked).toBe(
      false,
    );

    const list = await api(emu, 'GET', '/key/list?user_id=u1');
    expect(list.body).toEqual({
      keys: [token],
      total_count: 1,
      current_page: 1,
      total_pages: 1,
    });
    const full = await api(emu, 'GET', '/key/list?return_full_object=true');
    expect(full.body.keys[0].token).toBe(token);
    expect(JSON.stringify(full.body)).not.toContain(key);

    expect((await api(emu, 'GET', '/key/list?size=101')).status).toBe(422);
    expect((await api(emu, 'GET', '/key/list?sort_by=nope')).status).toBe(400);

    // A virtual key can read its own info but not generate keys.
    expect(
      (await api(emu, 'GET', '/key/info', undefined, key)).body.info.key_alias,
    ).toBe('k1');
    expect((await api(emu, 'POST', '/key/generate', {}, key)).status).toBe(401);

    const del = await api(emu, 'POST', '/key/delete', { keys: [token] });
    expect(del.body).toEqual({ deleted_keys: [token] });
    expect(
      (await api(emu, 'GET', '/v1/models', undefined, key)).body.error.type,
    ).toBe('token_not_found_in_db');
    expect(
      (await api(emu, 'GET', '/key/list?status=deleted')).body.keys,
    ).toEqual([token]);
  });

  it('answers /key/delete with 404 when no key matches and deletes by alias', async () => {
    const none = await api(emu, 'POST', '/key/delete', {
      keys: [sha256Hex('nothing')],
    });
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe("{'error': 'No keys found'}");
    expect(none.body.error.code).toBe('404');
    await mintKey(emu, { key_alias: 'gone' });
    expect(
      (await api(emu, 'POST', '/key/delete', { key_aliases: ['gone'] })).body,
    ).toEqual({ deleted_keys: ['gone'] });
    expect(emu.state.keys.size).toBe(0);
    expect((await api(emu, 'POST', '/key/delete', {})).status).toBe(500);
  });

  it('regenerates keys with a new hash (and the enterprise 500 switch)', async () => {
    const { key, token } = await mintKey(emu, {
      key_alias: 'rot',
      models: ['gpt-4o'],
    });
    const r = await api(
      emu,
      'POST',
      `/key/${encodeURIComponent(key)}/regenerate`,
      {},
    );
    expect(r.status).toBe(200);
    expect(r.body.key).not.toBe(key);
    expect(r.body.token_id).toBe(sha256Hex(r.body.key));
    expect(r.body.token_id).not.toBe(token);
    expect(r.body.key_alias).toBe('rot');
    expect(r.body.models).toEqual(['gpt-4o']);
    expect((await api(emu, 'GET', '/v1/models', undefined, key)).status).toBe(
      401,
    );
    expect(
      (await api(emu, 'GET', '/v1/models', undefined, r.body.key)).status,
    ).toBe(200);
    expect(
      (await api(emu, 'POST', '/key/regenerate', { key: token })).status,
    ).toBe(404);

    const legacy = await startEmulator({
      port: 0,
      behaviour: { regenerate: 'enterprise500' },
    });
    try {
      const k = await mintKey(legacy);
      const e = await api(legacy, 'POST', `/key/${k.token}/regenerate`, {});
      expect(e.status).toBe(500);
      expect(e.body.error.message).toMatch(
        /^Regenerating Virtual Keys is an Enterprise feature/,
      );
    } finally {
      await legacy.close();
    }
  });

  it('handles /user/info for unknown users per switch, and user CRUD', async () => {
    const missing = await api(emu, 'GET', '/user/info?user_id=ghost');
    expect(missing.status).toBe(404);

    const created = await api(emu, 'POST', '/user/new', {
      user_id: 'alice',
      user_email: 'Alice@Example.com',
      auto_create_key: false,
      max_budget: 10,
    });
    expect(created.status).toBe(200);
    expect(created.body.key).toBe('');
    expect(
      (await api(emu, 'POST', '/user/new', { user_id: 'alice' })).status,
    ).toBe(409);
    expect(
      (await api(emu, 'POST', '/user/new', { user_email: 'alice@example.com' }))
        .status,
    ).toBe(409);
    const withKey = await api(emu, 'POST', '/user/new', {
      user_id: 'bob',
      key_alias: 'bob-key',
    });
    expect(withKey.body.key).toMatch(/^sk-/);

    const info = await api(emu, 'GET', '/user/info?user_id=bob');
    expect(info.body.user_info.user_id).toBe('bob');
    expect(info.body.keys.map((k: any) => k.token)).toEqual([
      sha256Hex(withKey.body.key),
    ]);

    const upd = await api(emu, 'POST', '/user/update', {
      user_id: 'alice',
      max_budget: 20,
      models: [],
    });
    expect(upd.body.user_id).toBe('alice');
    expect(emu.state.users.get('alice')!.max_budget).toBe(20);

    const list = await api(emu, 'GET', '/user/list?page_size=1');
    expect(list.body.total).toBe(2);
    expect(list.body.total_pages).toBe(2);
    expect(list.body.users).toHaveLength(1);

    const del = await api(emu, 'POST', '/user/delete', { user_ids: ['bob'] });
    expect(del.status).toBe(200);
    expect(emu.state.keys.size).toBe(0);
    const del404 = await api(emu, 'POST', '/user/delete', {
      user_ids: ['bob'],
    });
    expect(del404.body).toEqual({
      detail: { error: 'User not found, passed user_id=bob' },
    });

    const legacy = await startEmulator({
      port: 0,
      behaviour: { userInfoUnknown: 'empty200' },
    });
    try {
      const r = await api(legacy, 'GET', '/user/info?user_id=ghost');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        user_id: 'ghost',
        user_info: { spend: 0 },
        keys: [],
        teams: [],
      });
    } finally {
      await legacy.close();
    }
  });

  it('manages teams and memberships', async () => {
    const t = await api(emu, 'POST', '/team/new', {
      team_id: 'team-1',
      team_alias: 'Team One',
      models: ['gpt-4o'],
    });
    expect(t.status).toBe(200);
    expect(t.body.members_with_roles).toEqual([
      { role: 'admin', user_id: 'default_user_id', user_email: null },
    ]);
    const dup = await api(emu, 'POST', '/team/new', { team_id: 'team-1' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toBe(
      "{'error': 'Team id = team-1 already exists. Please use a different team id.'}",
    );

    const add = await api(emu, 'POST', '/team/member_add', {
      team_id: 'team-1',
      member: { role: 'user', user_id: 'carol' },
      max_budget_in_team: 2,
    });
    expect(add.status).toBe(200);
    expect(add.body.updated_users[0].user_id).toBe('carol');
    expect(
      add.body.updated_team_memberships[0].litellm_budget_table.max_budget,
    ).toBe(2);
    expect(emu.state.users.get('carol')!.teams).toEqual(['team-1']);

    const again = await api(emu, 'POST', '/team/member_add', {
      team_id: 'team-1',
      member: { role: 'user', user_id: 'carol' },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.type).toBe('team_member_already_in_team');
    const admin = await api(emu, 'POST', '/team/member_add', {
      team_id: 'team-1',
      member: { role: 'admin', user_id: 'dave' },
    });
    expect(admin.status).toBe(400);
    expect(admin.body.detail.error).toMatch(/premium feature/);
    expect(
      (
        await api(emu, 'POST', '/team/member_add', {
          team_id: 'nope',
          member: { role: 'user', user_id: 'x' },
        })
      ).status,
    ).toBe(404);

    const key = await mintKey(emu, { team_id: 'team-1', user_id: 'carol' });
    const info = await api(emu, 'GET', '/team/info?team_id=team-1');
    expect(info.body.team_info.team_alias).toBe('Team One');
    expect(info.body.keys.map((k: any) => k.token)).toEqual([key.token]);
    expect(info.body.team_memberships.map((m: any) => m.user_id)).toEqual([
      'default_user_id',
      'carol',
    ]);
    expect((await api(emu, 'GET', '/team/info?team_id=zzz')).status).toBe(404);
    expect((await api(emu, 'GET', '/team/info')).status).toBe(422);

    // Team keys see the team's models.
    expect(
      (await api(emu, 'GET', '/v1/models', undefined, key.key)).body.data.map(
        (m: any) => m.id,
      ),
    ).toEqual(['gpt-4o']);

    const rm = await api(emu, 'POST', '/team/member_delete', {
      team_id: 'team-1',
      user_id: 'carol',
    });
    expect(rm.body.members_with_roles.map((m: any) => m.user_id)).toEqual([
      'default_user_id',
    ]);
    expect(emu.state.users.get('carol')!.teams).toEqual([]);
    expect(
      (
        await api(emu, 'POST', '/team/member_delete', {
          team_id: 'team-1',
          user_id: 'carol',
        })
      ).body,
    ).toEqual({
      detail: { error: 'User not found in team' },
    });

    const upd = await api(emu, 'POST', '/team/update', {
      team_id: 'team-1',
      max_budget: 3,
    });
    expect(upd.body.data.max_budget).toBe(3);
    expect(
      (await api(emu, 'POST', '/team/update', { team_id: 'zzz' })).status,
    ).toBe(404);
    expect((await api(emu, 'GET', '/team/list')).body).toHaveLength(1);

    const del = await api(emu, 'POST', '/team/delete', {
      team_ids: ['team-1'],
    });
    expect(del.body).toEqual({ deleted_teams: ['team-1'] });
    expect(emu.state.keys.size).toBe(0);
  });

  it("enforces a key's TPM limit per minute, as LiteLLM does, and frees it the next minute", async () => {
    emu.setClock(Date.parse('2025-06-11T10:00:10Z'));
    const { key, token } = await mintKey(emu, { tpm_limit: 10 });
    // One call of more than 10 tokens is let through; the window is then used up.
    const first = await chat(emu, key, 'gpt-4o');
    expect(first.status).toBe(200);
    expect(first.body.usage.total_tokens).toBeGreaterThan(10);
    const limited = await chat(emu, key, 'gpt-4o');
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toBe(
      `Rate limit exceeded for api_key: ${token}. Limit type: tokens. Current limit: 10, Remaining: 0. Limit resets at: 2025-06-11 10:01:00 UTC`,
    );
    expect(limited.headers.get('retry-after')).toBe('50');
    // Another key is not limited by this one's use.
    const other = await mintKey(emu, { tpm_limit: 10 });
    expect((await chat(emu, other.key, 'gpt-4o')).status).toBe(200);

    emu.advanceClock(50_000); // 10:01:00, a new minute
    expect((await chat(emu, key, 'gpt-4o')).status).toBe(200);
  });

  it('resets budgets when the clock passes budget_duration', async () => {
    emu.setClock(Date.parse('2025-06-11T10:00:00Z'));
    const { key, token } = await mintKey(emu, {
      max_budget: 0.00001,
      budget_duration: '1d',
    });
    expect(emu.state.keys.get(token)!.budget_reset_at).toBe(
      '2025-06-12T00:00:00.000Z',
    );
    await chat(emu, key, 'gpt-4o');
    const blocked = await chat(emu, key, 'gpt-4o');
    expect(blocked.status).toBe(429);

    emu.advanceClock(13 * 3600_000); // 23:00, before the reset
    expect((await chat(emu, key, 'gpt-4o')).status).toBe(429);
    emu.advanceClock(2 * 3600_000); // 01:00 next day
    const info = await api(emu, 'GET', `/key/info?key=${token}`);
    expect(info.body.info.spend).toBe(0);
    expect(info.body.info.budget_reset_at).toBe('2025-06-13T00:00:00.000Z');
    expect((await chat(emu, key, 'gpt-4o')).status).toBe(200);

    // Budget rows: /budget/new etc.
    const b = await api(emu, 'POST', '/budget/new', {
      budget_id: 'b1',
      max_budget: 5,
      budget_duration: '30d',
    });
    expect(b.body.budget_reset_at).toBe('2025-07-01T00:00:00.000Z');
    expect(
      (await api(emu, 'POST', '/budget/new', { budget_id: 'b1' })).body,
    ).toEqual({
      detail: { error: "Budget with id 'b1' already exists." },
    });
    expect(
      (
        await api(emu, 'POST', '/budget/update', {
          budget_id: 'b1',
          max_budget: 6,
        })
      ).body.max_budget,
    ).toBe(6);
    expect(
      (await api(emu, 'POST', '/budget/info', { budgets: ['b1'] })).body,
    ).toHaveLength(1);
    expect(
      (await api(emu, 'GET', '/budget/list')).body.map((x: any) => x.budget_id),
    ).toEqual(['b1']);
    expect(
      (await api(emu, 'POST', '/budget/delete', { id: 'b1' })).status,
    ).toBe(200);
    expect(emu.state.budgets.size).toBe(0);
  });
});
