import fc from 'fast-check';
import { normalizeDailyActivityPage } from './dailyActivity';
import { parseDailyActivityJson } from './dailyActivityJson';
import { bodyText } from './transport';

const KEEP = ['models', 'api_keys'];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What the reader must answer: JSON.parse, minus the breakdowns not kept, and with the
 * entries of the metadata-only ones reduced to their metadata.
 */
function expected(
  text: string,
  keep: readonly string[],
  metadataOnly: readonly string[] = [],
): unknown {
  const page = JSON.parse(text);
  for (const day of page.results) {
    for (const dimension of Object.keys(day.breakdown)) {
      const entries = day.breakdown[dimension];
      if (!keep.includes(dimension)) delete day.breakdown[dimension];
      else if (metadataOnly.includes(dimension) && isObject(entries)) {
        for (const entry of Object.values(entries)) {
          if (!isObject(entry)) continue;
          for (const member of Object.keys(entry)) {
            if (member !== 'metadata') delete entry[member];
          }
        }
      }
    }
  }
  return page;
}

const metrics = {
  spend: 0.017145,
  prompt_tokens: 2842,
  completion_tokens: 1004,
  api_requests: 4,
  successful_requests: 4,
  failed_requests: 0,
};

/** A page as LiteLLM writes it: every row under six breakdowns, key metadata included. */
const LITELLM_PAGE = {
  results: [
    {
      date: '2026-11-30',
      metrics,
      breakdown: {
        models: {
          'gpt-4o': {
            metrics,
            metadata: {},
            api_key_breakdown: {
              abc123: {
                metrics,
                metadata: { key_alias: 'svc "a" {b} [c], \\d', team_id: null },
              },
            },
          },
        },
        model_groups: {
          'gpt-4o': {
            metrics,
            metadata: { note: 'a } in a string', other: ['[', '{', '"'] },
            api_key_breakdown: {},
          },
        },
        mcp_servers: {},
        providers: { openai: { metrics, metadata: {}, api_key_breakdown: {} } },
        endpoints: { '/chat/completions': { metrics, metadata: {} } },
        api_keys: {
          abc123: {
            metrics,
            metadata: { key_alias: 'ünïcødé ✓', team_id: 't' },
          },
        },
        entities: { Unassigned: { metrics, metadata: { user_email: null } } },
      },
    },
    { date: '2026-11-29', metrics, breakdown: {} },
  ],
  metadata: { total_spend: 1.5, page: 1, total_pages: 1, has_more: false },
};

describe('parseDailyActivityJson', () => {
  it('answers what JSON.parse answers, without the breakdowns not asked for', () => {
    const text = JSON.stringify(LITELLM_PAGE);
    const page = parseDailyActivityJson(Buffer.from(text), KEEP) as any;
    expect(page).toEqual(expected(text, KEEP));
    expect(Object.keys(page.results[0].breakdown)).toEqual(KEEP);
    expect(
      page.results[0].breakdown.models['gpt-4o'].api_key_breakdown.abc123
        .metadata.key_alias,
    ).toBe('svc "a" {b} [c], \\d');
    expect(page.results[0].breakdown.api_keys.abc123.metadata.key_alias).toBe(
      'ünïcødé ✓',
    );
  });

  it('keeps only the metadata of the metadata-only breakdowns', () => {
    const text = JSON.stringify(LITELLM_PAGE);
    const page = parseDailyActivityJson(Buffer.from(text), KEEP, [
      'api_keys',
    ]) as any;
    expect(page).toEqual(expected(text, KEEP, ['api_keys']));
    expect(page.results[0].breakdown.api_keys).toEqual({
      abc123: { metadata: { key_alias: 'ünïcødé ✓', team_id: 't' } },
    });
    // The other kept breakdown keeps its metrics.
    expect(page.results[0].breakdown.models['gpt-4o'].metrics).toEqual(metrics);
  });

  it('keeps everything, through JSON.parse, when no breakdowns are named', () => {
    const text = JSON.stringify(LITELLM_PAGE);
    expect(parseDailyActivityJson(Buffer.from(text))).toEqual(LITELLM_PAGE);
  });

  it('reads pretty-printed pages and escaped names', () => {
    const page = {
      results: [
        {
          date: '2026-11-30',
          breakdown: {
            'mod\u00e9ls': { x: 1 },
            models: { 'a\\"b': { metrics: { spend: 1e-7 } } },
            providers: { p: [1, 2, { q: '\\' }] },
          },
        },
      ],
    };
    const text = JSON.stringify(page, null, '\t').replace(/\n/g, '\r\n');
    expect(parseDailyActivityJson(Buffer.from(text), KEEP)).toEqual(
      expected(text, KEEP),
    );
    // A name written with escapes is the same name.
    const escaped =
      '{"results":[{"breakdown":{"\\u006dodels":{"m":1},"x":2}}]}';
    expect(parseDailyActivityJson(Buffer.from(escaped), KEEP)).toEqual({
      results: [{ breakdown: { models: { m: 1 } } }],
    });
  });

  it('leaves the same breakdowns out when it falls back to JSON.parse', () => {
    // A member named __proto__ makes the reader fall back (fast-check found this page).
    const text =
      '{"results":[{"breakdown":{"models":{"__proto__":false}}},{"breakdown":{"providers":[],"api_keys":{"k":{"metrics":1,"metadata":{"a":1}}}}}],"metadata":{}}';
    const page = parseDailyActivityJson(Buffer.from(text), KEEP, ['api_keys']);
    expect(page).toEqual(expected(text, KEEP, ['api_keys']));
    expect(JSON.stringify(page)).toBe(
      '{"results":[{"breakdown":{"models":{"__proto__":false}}},{"breakdown":{"api_keys":{"k":{"metadata":{"a":1}}}}}],"metadata":{}}',
    );
  });

  it('answers any page JSON.parse reads as JSON.parse does, breakdowns apart', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const day = fc.record(
      {
        date: fc.string(),
        metrics: json,
        breakdown: fc.dictionary(
          fc.constantFrom(
            'models',
            'model_groups',
            'providers',
            'api_keys',
            'entities',
            'x',
          ),
          json,
        ),
        extra: json,
      },
      { requiredKeys: ['breakdown'] },
    );
    const page = fc.record({
      results: fc.array(day, { maxLength: 4 }),
      metadata: json,
    });
    fc.assert(
      fc.property(
        page,
        fc.constantFrom(undefined, 2, ' '),
        fc.constantFrom([], ['api_keys'], ['models', 'entities']),
        (p, indent, metadataOnly) => {
          const text = JSON.stringify(p, null, indent);
          expect(
            parseDailyActivityJson(Buffer.from(text), KEEP, metadataOnly),
          ).toEqual(expected(text, KEEP, metadataOnly));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads UTF-8 bytes, a byte order mark and invalid sequences as their text reads', () => {
    // The page arrives as bytes: values are decoded one by one, as the whole text would be.
    const json = fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' });
    const page = fc.record({
      results: fc.array(
        fc.record({
          date: fc.string({ unit: 'grapheme' }),
          breakdown: fc.dictionary(
            fc.constantFrom('models', 'api_keys', 'providers', 'dé'),
            json,
          ),
        }),
        { maxLength: 3 },
      ),
      metadata: json,
    });
    fc.assert(
      fc.property(
        page,
        fc.boolean(),
        fc.constantFrom([], ['api_keys']),
        (p, bom, metadataOnly) => {
          const bytes = Buffer.from(
            `${bom ? '\ufeff' : ''}${JSON.stringify(p)}`,
          );
          expect(parseDailyActivityJson(bytes, KEEP, metadataOnly)).toEqual(
            expected(bodyText(bytes), KEEP, metadataOnly),
          );
        },
      ),
      { numRuns: 300 },
    );
    // A byte that is not UTF-8 inside a kept string becomes U+FFFD, as in the text.
    const invalid = Buffer.concat([
      Buffer.from('{"results":[{"breakdown":{"models":{"m'),
      Buffer.from([0xe2, 0x28, 0xff]),
      Buffer.from('":1},"providers":{"p\u00e9":2}}}]}'),
    ]);
    expect(parseDailyActivityJson(invalid, KEEP)).toEqual(
      expected(bodyText(invalid), KEEP),
    );
    expect(
      Object.keys(
        (parseDailyActivityJson(invalid, KEEP) as any).results[0].breakdown
          .models,
      ),
    ).toEqual(['m\ufffd(\ufffd']);
  });

  it('falls back to JSON.parse for other shapes, and fails as it does on bad JSON', () => {
    for (const other of [
      '[1, 2]',
      '{"results": {"not": "an array"}}',
      '{"results": [1, "two", null]}',
      '{"results": [{"breakdown": [1]}]}',
      '"text"',
      '{"__proto__": {"polluted": true}, "results": []}',
    ]) {
      expect(parseDailyActivityJson(Buffer.from(other), KEEP)).toEqual(
        JSON.parse(other),
      );
    }
    expect(({} as any).polluted).toBeUndefined();
    for (const bad of [
      '',
      '{"results": [',
      '{"results": [{"breakdown": {"providers": {"a": "unterminated}}}]}',
      '{"results": []} trailing',
    ]) {
      expect(() => parseDailyActivityJson(Buffer.from(bad), KEEP)).toThrow(
        SyntaxError,
      );
    }
  });
});

describe('normalizeDailyActivityPage', () => {
  it('answers the same page from the reader and from JSON.parse (its fallback)', () => {
    const text = JSON.stringify(LITELLM_PAGE);
    const options = { breakdowns: KEEP, metadataOnly: ['api_keys'] };
    const fast = normalizeDailyActivityPage(
      parseDailyActivityJson(
        Buffer.from(text),
        options.breakdowns,
        options.metadataOnly,
      ) as any,
      1,
      options,
    );
    expect(fast).toEqual(
      normalizeDailyActivityPage(JSON.parse(text), 1, options),
    );
    const { api_keys: keys, models } = fast.results[0].breakdown;
    expect(Object.keys(fast.results[0].breakdown)).toEqual(KEEP);
    expect(keys!.abc123.metadata).toEqual({
      key_alias: 'ünïcødé ✓',
      team_id: 't',
    });
    expect(keys!.abc123.metrics.spend).toBe(0);
    expect(models!['gpt-4o'].api_key_breakdown!.abc123.metrics.spend).toBe(
      metrics.spend,
    );
  });
});
