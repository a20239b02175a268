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
});
