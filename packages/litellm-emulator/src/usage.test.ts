import { startEmulator, RunningEmulator } from './index';
import { api, chat, mintKey, today } from './__testUtils__/http';

/**
 * A sleep the test controls: each call waits until the test calls `done()` on it, and
 * `next()` resolves with the next call.
 */
function controlledSleep() {
  const calls: Array<{ ms: number; done: () => void }> = [];
  const waiting: Array<(call: { ms: number; done: () => void }) => void> = [];
  const sleep = (ms: number) =>
    new Promise<void>(resolve => {
      const call = { ms, done: resolve };
      const taker = waiting.shift();
      if (taker) taker(call);
      else calls.push(call);
    });
  const next = () =>
    new Promise<{ ms: number; done: () => void }>(resolve => {
      const call = calls.shift();
      if (call) resolve(call);
      else waiting.push(resolve);
    });
  return { sleep, next };
}

describe('spend, daily activity, limits and test hooks', () => {
  let emu: RunningEmulator;
  const sleeps = controlledSleep();
  beforeAll(async () => {
    // A frozen base clock: time only moves through advanceClock/setClock.
    const frozen = new Date('2025-01-01T00:00:00Z');
    emu = await startEmulator({
      port: 0,
      now: () => frozen,
      sleep: sleeps.sleep,
    });
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    emu.reset();
    emu.setClock(Date.parse('2025-06-11T12:00:00Z'));
  });

  it('records spend for successful and failed requests', async () => {
    await api(emu, 'POST', '/team/new', { team_id: 't1', team_alias: 'T1' });
    await api(emu, 'POST', '/user/new', {
      user_id: 'u1',
      auto_create_key: false,
    });
    const { key, token } = await mintKey(emu, {
      user_id: 'u1',
      team_id: 't1',
      models: ['gpt-4o'],
    });
    const ok = await chat(emu, key, 'gpt-4o');
    expect(ok.status).toBe(200);
    const cost = Number(ok.headers.get('x-litellm-response-cost'));
    const { prompt_tokens: p, completion_tokens: c } = ok.body.usage;
    expect(cost).toBeCloseTo(p * 2.5e-6 + c * 1e-5, 12);
    expect((await chat(emu, key, 'claude-3-5-sonnet')).status).toBe(403);
    expect(
      (
        await chat(emu, key, 'gpt-4o', {
          mock_response: 'litellm.RateLimitError',
        })
      ).status,
    ).toBe(429);

    expect(emu.state.keys.get(token)!.spend).toBeCloseTo(cost, 12);
    expect(emu.state.users.get('u1')!.spend).toBeCloseTo(cost, 12);
    expect(emu.state.teams.get('t1')!.spend).toBeCloseTo(cost, 12);

    const logs = await api(
      emu,
      'GET',
      `/spend/logs/v2?start_date=2025-06-11 00:00:00&end_date=2025-06-11 23:59:59&api_key=${token}`,
    );
    expect(logs.body.total).toBe(3);
    expect(logs.body.data.map((r: any) => r.status).sort()).toEqual([
      'failure',
      'failure',
      'success',
    ]);
    const failed = await api(
      emu,
      'GET',
      `/spend/logs/v2?start_date=2025-06-11&end_date=2025-06-11&status_filter=failure`,
    );
    expect(failed.body.total).toBe(2);
    expect(failed.body.data[0].metadata.error_information.error_code).toMatch(
      /^(403|429)$/,
    );
    expect((await api(emu, 'GET', '/spend/logs/v2')).status).toBe(400);
    expect(
      (
        await api(
          emu,
          'GET',
          '/spend/logs/v2?start_date=2025-06-11&end_date=2025-06-11&page_size=1001',
        )
      ).status,
    ).toBe(422);

    const legacy = await api(
      emu,
      'GET',
      `/spend/logs?api_key=${token}&start_date=2025-06-10&end_date=2025-06-11`,
    );
    expect(legacy.body).toHaveLength(2);
    expect(legacy.body[1].startTime).toBe('2025-06-11');
    expect(legacy.body[1][token]).toBeCloseTo(cost, 12);
    expect(legacy.body[0].spend).toBe(0);

    const daily = await api(
      emu,
      'GET',
      '/team/daily/activity?start_date=2025-06-11&end_date=2025-06-11&team_ids=t1',
    );
    expect(daily.body.metadata.total_api_requests).toBe(3);
    expect(daily.body.metadata.total_successful_requests).toBe(1);
    expect(daily.body.metadata.total_failed_requests).toBe(2);
    const day = daily.body.results[0];
    expect(day.breakdown.entities.t1.metadata.team_alias).toBe('T1');
    expect(day.breakdown.api_keys[token].metadata.team_id).toBe('t1');
    expect(day.breakdown.providers.openai.metrics.successful_requests).toBe(1);
    expect(day.metrics.total_tokens).toBe(p + c);
  });

  it('pages daily activity over raw rows with per-page totals', async () => {
    await api(emu, 'POST', '/user/new', {
      user_id: 'u2',
      auto_create_key: false,
    });
    const { key } = await mintKey(emu, { user_id: 'u2' });
    // 3 days x 2 models = 6 raw rows.
    for (let d = 0; d < 3; d++) {
      expect((await chat(emu, key, 'gpt-4o')).status).toBe(200);
      expect((await chat(emu, key, 'mistral-large-latest')).status).toBe(200);
      emu.advanceClock(86_400_000);
    }
    const q =
      '/user/daily/activity?start_date=2025-06-01&end_date=2025-06-30&user_id=u2&page_size=4';
    const p1 = await api(emu, 'GET', `${q}&page=1`);
    const p2 = await api(emu, 'GET', `${q}&page=2`);
    expect(p1.body.metadata).toMatchObject({
      page: 1,
      total_pages: 2,
      has_more: true,
      total_api_requests: 4,
    });
    expect(p2.body.metadata).toMatchObject({
      page: 2,
      total_pages: 2,
      has_more: false,
      total_api_requests: 2,
    });
    expect(p1.body.results.map((r: any) => r.date)).toEqual([
      '2025-06-13',
      '2025-06-12',
    ]);
    expect(p2.body.results.map((r: any) => r.date)).toEqual(['2025-06-11']);
    const sum = p1.body.metadata.total_spend + p2.body.metadata.total_spend;
    expect(sum).toBeCloseTo(emu.state.users.get('u2')!.spend, 12);
    // The pages of a query are remembered between reads, never past a new request.
    expect((await chat(emu, key, 'gpt-4o')).status).toBe(200);
    const pages = [
      await api(emu, 'GET', `${q}&page=1`),
      await api(emu, 'GET', `${q}&page=2`),
    ];
    expect(pages.map(p => p.body.metadata.total_api_requests)).toEqual([4, 3]);
    expect(pages[0].body.results[0].date).toBe('2025-06-14');
    const agg = await api(
      emu,
      'GET',
      '/user/daily/activity/aggregated?start_date=2025-06-01&end_date=2025-06-30&user_id=u2',
    );
    expect(agg.body.metadata.total_api_requests).toBe(7);
    expect(
      (await api(emu, 'GET', '/user/daily/activity?start_date=2025-06-01'))
        .body,
    ).toEqual({
      detail: { error: 'Please provide start_date and end_date' },
    });
  });

  it('enforces team and user budgets and RPM limits', async () => {
    await api(emu, 'POST', '/team/new', { team_id: 'tb', max_budget: 0.00001 });
    const teamKey = await mintKey(emu, { team_id: 'tb' });
    expect((await chat(emu, teamKey.key, 'gpt-4o')).status).toBe(200);
    const over = await chat(emu, teamKey.key, 'gpt-4o');
    expect(over.status).toBe(429);
    expect(over.body.error.message).toMatch(
      /^Budget has been exceeded! Team=tb /,
    );

    await api(emu, 'POST', '/user/new', {
      user_id: 'ub',
      max_budget: 0,
      auto_create_key: false,
    });
    const userKey = await mintKey(emu, { user_id: 'ub' });
    expect((await chat(emu, userKey.key, 'gpt-4o')).status).toBe(200); // spend 0 is not > 0
    const userOver = await chat(emu, userKey.key, 'gpt-4o');
    expect(userOver.body.error.message).toMatch(
      /^ExceededBudget: User=ub over budget\./,
    );

    const limited = await mintKey(emu, { rpm_limit: 2 });
    expect((await chat(emu, limited.key, 'gpt-4o-mini')).status).toBe(200);
    expect((await chat(emu, limited.key, 'gpt-4o-mini')).status).toBe(200);
    const rl = await chat(emu, limited.key, 'gpt-4o-mini');
    expect(rl.status).toBe(429);
    expect(rl.body.error.message).toMatch(
      /^Rate limit exceeded for api_key: [0-9a-f]{64}\. Limit type: requests\. Current limit: 2, Remaining: 0\./,
    );
    expect(rl.headers.get('retry-after')).toBeTruthy();
    emu.advanceClock(60_000);
    expect((await chat(emu, limited.key, 'gpt-4o-mini')).status).toBe(200);
  });

  it('injects faults (status, latency, drop, next N calls) and clears them', async () => {
    const { key } = await mintKey(emu);
    emu.injectFault({ path: '/v1/chat/completions', status: 503, times: 1 });
    const f1 = await chat(emu, key, 'gpt-4o');
    expect(f1.status).toBe(503);
    expect(f1.body.error.code).toBe('503');
    expect((await chat(emu, key, 'gpt-4o')).status).toBe(200);

    const hook = await api(emu, 'POST', '/__emulator/faults', {
      path: '/key/*',
      status: 500,
      body: { detail: 'boom' },
    });
    expect(hook.status).toBe(200);
    expect(await api(emu, 'GET', '/key/list')).toMatchObject({
      status: 500,
      body: { detail: 'boom' },
    });
    expect((await api(emu, 'DELETE', '/__emulator/faults')).status).toBe(200);
    expect((await api(emu, 'GET', '/key/list')).status).toBe(200);

    // Latency: the answer waits for the emulator's (injected) sleep of exactly that long.
    emu.injectFault({ path: '/health/readiness', latencyMs: 150 });
    let answered = false;
    const slow = api(emu, 'GET', '/health/readiness', undefined, null).then(
      r => {
        answered = true;
        return r;
      },
    );
    const wait = await sleeps.next();
    expect(wait.ms).toBe(150);
    expect(answered).toBe(false);
    wait.done();
    expect((await slow).status).toBe(200);
    emu.clearFaults();

    emu.injectFault({ path: '/v1/models', drop: true });
    await expect(
      api(emu, 'GET', '/v1/models', undefined, key),
    ).rejects.toThrow();
    emu.clearFaults();

    // Hooks require the master key; reset clears everything.
    expect((await api(emu, 'POST', '/__emulator/reset', {}, key)).status).toBe(
      401,
    );
    expect((await api(emu, 'GET', '/__emulator/state')).body).toMatchObject({
      keys: 1,
      spend_rows: 1,
    });
    expect(
      (await api(emu, 'POST', '/__emulator/reset', {})).body.state,
    ).toMatchObject({ keys: 0, spend_rows: 0, faults: 0 });
    expect((await api(emu, 'GET', '/v1/models', undefined, key)).status).toBe(
      401,
    );
  });

  it('records GET answers of some paths and replays them as they were sent', async () => {
    await api(emu, 'POST', '/user/new', { user_id: 'u1' });
    const { key } = await mintKey(emu, { user_id: 'u1', models: ['gpt-4o'] });
    await chat(emu, key, 'gpt-4o');
    const day =
      '/user/daily/activity?start_date=2025-06-11&end_date=2025-06-11';
    const requests = (r: { body: any }) =>
      r.body.metadata.total_api_requests as number;

    expect(
      (await api(emu, 'POST', '/__emulator/recording', { mode: 'record' }))
        .status,
    ).toBe(400);
    expect(
      (await api(emu, 'POST', '/__emulator/recording', { mode: 'later' }))
        .status,
    ).toBe(400);
    // Test hooks are the master key's only.
    expect(
      (await api(emu, 'POST', '/__emulator/recording', { mode: 'off' }, key))
        .status,
    ).toBe(401);

    const record = await api(emu, 'POST', '/__emulator/recording', {
      mode: 'record',
      paths: ['/user/daily/activity'],
    });
    expect(record.body).toEqual({
      mode: 'record',
      paths: ['/user/daily/activity'],
      answers: 0,
      bytes: 0,
    });
    const recorded = await api(emu, 'GET', day);
    expect(requests(recorded)).toBe(1);
    expect((await api(emu, 'GET', '/__emulator/recording')).body).toMatchObject(
      { mode: 'record', answers: 1 },
    );

    await chat(emu, key, 'gpt-4o');
    expect(
      (await api(emu, 'POST', '/__emulator/recording', { mode: 'replay' }))
        .body,
    ).toMatchObject({ mode: 'replay', answers: 1 });
    // The recorded URL answers what it answered then; any other one is live.
    const replayed = await api(emu, 'GET', day);
    expect(replayed.body).toEqual(recorded.body);
    expect(replayed.headers.get('content-length')).toBe(
      recorded.headers.get('content-length'),
    );
    expect(requests(await api(emu, 'GET', `${day}&page=1`))).toBe(2);

    expect(
      (await api(emu, 'POST', '/__emulator/recording', { mode: 'off' })).body,
    ).toEqual({ mode: 'off', paths: [], answers: 0, bytes: 0 });
    expect(requests(await api(emu, 'GET', day))).toBe(2);
  });

  it('truncates an answer after doing the call, and goes down and comes back with its state', async () => {
    // truncate: the key is made, the client gets half an answer and a closed connection.
    emu.injectFault({ path: '/key/generate', truncate: true, times: 1 });
    await expect(
      api(emu, 'POST', '/key/generate', { key_alias: 'cut' }),
    ).rejects.toThrow();
    const made = [...emu.state.keys.values()].filter(
      k => k.key_alias === 'cut',
    );
    expect(made).toHaveLength(1);
    expect(
      (
        await api(emu, 'POST', '/__emulator/faults', {
          path: '/key/*',
          truncate: true,
        })
      ).status,
    ).toBe(200);
    emu.clearFaults();

    // Down: open connections are closed and new ones refused; state survives.
    const url = emu.url;
    await emu.goDown();
    const failure = () =>
      fetch(`${url}/health/liveliness`).then(
        r => r.status,
        (e: any) => e.cause?.code,
      );
    // A pooled connection may first see its socket closed; a new one is refused.
    expect(['ECONNREFUSED', 'UND_ERR_SOCKET']).toContain(await failure());
    expect(await failure()).toBe('ECONNREFUSED');
    await emu.comeBack();
    expect(emu.url).toBe(url);
    expect((await api(emu, 'GET', '/health/liveliness')).status).toBe(200);
    expect(
      (await api(emu, 'GET', `/key/info?key=${made[0].token}`)).status,
    ).toBe(200);
  });

  it('moves the clock and seeds bulk spend through hooks', async () => {
    const adv = await api(emu, 'POST', '/__emulator/clock/advance', {
      duration: '1d',
    });
    expect(adv.body.now).toBe('2025-06-12T12:00:00.000Z');
    const set = await api(emu, 'POST', '/__emulator/clock/set', {
      time: '2025-07-01T00:00:00Z',
    });
    expect(set.body.now).toBe('2025-07-01T00:00:00.000Z');
    expect(today(emu)).toBe('2025-07-01');

    const { token } = await mintKey(emu, { key_alias: 'bench' });
    const seed = await api(emu, 'POST', '/__emulator/seed/spend', {
      rows: 20000,
      days: 10,
      keys: ['bench'],
      models: ['gpt-4o', 'llama3.2:3b'],
    });
    expect(seed.body.inserted).toBe(20000);
    expect(emu.state.spendLogs.count).toBe(20000);
    expect(emu.state.dailyUser.size).toBe(20); // 10 days x 1 key x 2 models
    expect(emu.state.keys.get(token)!.spend).toBeCloseTo(seed.body.spend, 6);
    const activity = await api(
      emu,
      'GET',
      '/user/daily/activity/aggregated?start_date=2025-06-01&end_date=2025-07-31',
    );
    expect(activity.body.metadata.total_api_requests).toBe(20000);
    expect(activity.body.metadata.total_spend).toBeCloseTo(seed.body.spend, 6);
    const page = await api(
      emu,
      'GET',
      '/spend/logs/v2?start_date=2025-06-01&end_date=2025-07-31&page_size=5&page=2',
    );
    expect(page.body.total).toBe(20000);
    expect(page.body.data).toHaveLength(5);
    expect(Date.parse(page.body.data[0].startTime)).toBeGreaterThanOrEqual(
      Date.parse(page.body.data[4].startTime),
    );
  });

  it('caps retained spend-log rows', async () => {
    const small = await startEmulator({
      port: 0,
      behaviour: { maxSpendLogRows: 1000 },
    });
    try {
      small.seedSpend({ rows: 5000, days: 3 });
      expect(small.state.spendLogs.count).toBe(1000);
      expect(small.state.spendLogs.dropped).toBe(4000);
      // Rollups keep every request.
      let requests = 0;
      for (const r of small.state.dailyUser.rows.values())
        requests += r.api_requests;
      expect(requests).toBe(5000);
    } finally {
      await small.close();
    }
  });
});
