import { DailyActivityAccumulator } from './DailyActivityAccumulator';

const m = (
  spend: number,
  prompt: number,
  completion: number,
  ok: number,
  failed = 0,
) => ({
  spend,
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
  api_requests: ok + failed,
  successful_requests: ok,
  failed_requests: failed,
});

describe('DailyActivityAccumulator', () => {
  it('sums a day split across pages and keeps usage without a key as unattributed', () => {
    const acc = new DailyActivityAccumulator();
    // Page 1: part of 2026-01-01, key h1 on gpt-4o.
    acc.addDay({
      date: '2026-01-01',
      metrics: m(1, 10, 5, 1),
      breakdown: {
        models: {
          'gpt-4o': {
            metrics: m(1, 10, 5, 1),
            api_key_breakdown: {
              h1: { metrics: m(1, 10, 5, 1), metadata: { key_alias: 'a1' } },
            },
          },
        },
        api_keys: {
          h1: {
            metrics: m(1, 10, 5, 1),
            metadata: { key_alias: 'a1', user_id: 'user:default/bob' },
          },
        },
      },
    });
    // Page 2: the rest of the same day: more of h1, and usage LiteLLM gives without a key
    // (model total larger than its keys) and without a model (day total larger).
    acc.addDay({
      date: '2026-01-01',
      metrics: m(4.5, 40, 20, 4, 1),
      breakdown: {
        models: {
          'gpt-4o': {
            metrics: m(3, 30, 15, 3, 1),
            api_key_breakdown: { h1: { metrics: m(2, 20, 10, 2) } },
          },
        },
      },
    });
    const cells = [...acc.cells.values()].sort((a, b) =>
      (a.hash + a.model).localeCompare(b.hash + b.model),
    );
    expect(cells).toEqual([
      {
        date: '2026-01-01',
        hash: '',
        model: '',
        ok: 1,
        failed: 0,
        prompt: 10,
        completion: 5,
        spend: 1.5,
      },
      {
        date: '2026-01-01',
        hash: '',
        model: 'gpt-4o',
        ok: 1,
        failed: 1,
        prompt: 10,
        completion: 5,
        spend: 1,
      },
      {
        date: '2026-01-01',
        hash: 'h1',
        model: 'gpt-4o',
        ok: 3,
        failed: 0,
        prompt: 30,
        completion: 15,
        spend: 3,
      },
    ]);
    const total = cells.reduce((s, c) => s + c.spend, 0);
    expect(total).toBeCloseTo(5.5, 12);
    expect(acc.keyMeta.get('h1')).toMatchObject({
      alias: 'a1',
      userId: 'user:default/bob',
    });
  });

  it("merges each key's metadata over the days: what a later day gives adds to or replaces what is known, what it lacks stays", () => {
    const acc = new DailyActivityAccumulator();
    const day = (
      date: string,
      keys: Record<string, Record<string, string> | undefined>,
      models: Record<string, Record<string, string> | undefined> = {},
    ) =>
      acc.addDay({
        date,
        metrics: m(0, 0, 0, 0),
        breakdown: {
          models: {
            'gpt-4o': {
              metrics: m(0, 0, 0, 0),
              api_key_breakdown: Object.fromEntries(
                Object.entries(models).map(([hash, metadata]) => [
                  hash,
                  { metrics: m(0, 0, 0, 0), metadata },
                ]),
              ),
            },
          },
          api_keys: Object.fromEntries(
            Object.entries(keys).map(([hash, metadata]) => [
              hash,
              { metrics: m(0, 0, 0, 0), metadata },
            ]),
          ),
        },
      });
    day('2026-01-01', {
      h1: { key_alias: 'a1', team_id: 't1' },
      h2: { user_id: 'user:default/carol' },
    });
    day('2026-01-02', { h1: undefined, h2: { user_id: 'user:default/carol' } });
    day('2026-01-03', {
      h1: { user_id: 'user:default/bob' },
      h2: { key_alias: 'a2', team_id: 't2' },
    });
    // A key known from the models' breakdown alone, and one whose alias it gives late.
    day('2026-01-04', { h2: { team_id: 't3' } }, { h3: { key_alias: 'a3' } });
    day(
      '2026-01-05',
      { h4: { user_id: 'user:default/dan' } },
      {
        h4: { key_alias: 'a4', team_id: 't4' },
      },
    );
    expect(Object.fromEntries(acc.keyMeta)).toEqual({
      h1: { alias: 'a1', teamId: 't1', userId: 'user:default/bob' },
      h2: { alias: 'a2', teamId: 't3', userId: 'user:default/carol' },
      h3: { alias: 'a3', teamId: undefined },
      h4: { alias: 'a4', teamId: 't4', userId: 'user:default/dan' },
    });
  });
});
