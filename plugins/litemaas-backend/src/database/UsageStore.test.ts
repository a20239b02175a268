import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations } from './migrations';
import { inIndexOrder, UsageDailyRow, UsageStore } from './UsageStore';

jest.setTimeout(60_000);

const row = (over: Partial<UsageDailyRow>): UsageDailyRow => ({
  date: '2026-11-01',
  keyHash: 'a'.repeat(64),
  model: 'openai/gpt-4o',
  keyId: null,
  ownerRef: null,
  userRef: null,
  teamRef: null,
  requestsOk: 1,
  requestsFailed: 0,
  promptTokens: 10,
  completionTokens: 20,
  spend: 0.1,
  ...over,
});

// In JavaScript's order: a database's collation may order these strings otherwise.
const byDateAndModel = (a: UsageDailyRow, b: UsageDailyRow) =>
  `${a.date} ${a.model}` < `${b.date} ${b.model}` ? -1 : 1;

describe('inIndexOrder', () => {
  it('groups the rows by owner and user, keeping every row and each group in its order', () => {
    const owners = ['user:default/a', 'group:default/t', null];
    const users = ['a', null];
    const rows = Array.from({ length: 30 }, (_, i) =>
      row({
        model: `m${i}`,
        ownerRef: owners[i % 3],
        userRef: users[i % 2],
      }),
    );
    const ordered = inIndexOrder(rows);
    expect([...ordered].sort(byDateAndModel)).toEqual(
      [...rows].sort(byDateAndModel),
    );
    const group = (r: UsageDailyRow) => `${r.ownerRef} ${r.userRef}`;
    // Each (owner, user) pair forms one run of consecutive rows, in the input's order.
    const runs = ordered.map(group).filter((g, i, all) => g !== all[i - 1]);
    expect(runs).toHaveLength(new Set(rows.map(group)).size);
    for (const g of runs) {
      expect(ordered.filter(r => group(r) === g)).toEqual(
        rows.filter(r => group(r) === g),
      );
    }
    expect(runs[0]).toBe(group(rows[0]));
  });
});

describe('UsageStore', () => {
  const databases = createTestDatabases();

  /** A new database of the engine, migrated. */
  async function migratedDatabase(
    databaseId: Parameters<typeof databases.init>[0],
  ): Promise<Knex> {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    return knex;
  }

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    return new UsageStore(await migratedDatabase(databaseId));
  }

  /** What the database plans for a query the store sent (as knex's query event saw it). */
  async function pagePlan(
    knex: Knex,
    sql: string,
    bindings: readonly Knex.RawBinding[],
  ): Promise<string[]> {
    if (knex.client.config.client !== 'pg') {
      const plan = await knex.raw(`explain query plan ${sql}`, bindings);
      return plan.map((r: { detail: string }) => r.detail);
    }
    return knex.transaction(async tx => {
      // Two rows: without this PostgreSQL would read the table and sort it.
      await tx.raw('set local enable_seqscan = off');
      // The event's SQL numbers its placeholders ($1 …), in the bindings' order.
      const result = await tx.raw(
        `explain (format json) ${sql.replace(/\$\d+/g, '?')}`,
        bindings,
      );
      const scan = result.rows[0]['QUERY PLAN'][0].Plan.Plans[0];
      return [
        `${scan['Node Type']} using ${scan['Index Name']}`,
        ...['Index Cond', 'Filter']
          .filter(k => scan[k])
          .map(k => `${k}: ${scan[k]}`),
      ];
    });
  }

  /** Every row, through the export's reader, in JavaScript's order. */
  const read = async (store: UsageStore) => {
    const rows: UsageDailyRow[] = [];
    for await (const r of store.iterate({
      from: '2026-01-01',
      to: '2026-12-31',
    }))
      rows.push(r);
    return rows.sort(byDateAndModel);
  };

  it.each(databases.eachSupportedId())(
    'replaces days with rows whose text and numbers come back exactly, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      // What PostgreSQL's COPY text format escapes, and what only looks like its null.
      const awkward = [
        row({ model: 'tab\there', spend: 0.1 + 0.2 }),
        row({ model: 'line\nbreak\r\nand back\\slash', spend: 1e-12 }),
        row({ model: '\\N', keyHash: '', spend: 123456.789012345 }),
        row({
          model: 'équipe 🚀 "quoted"',
          keyId: '9b3f6c2e-0d1a-4c1e-9a57-1f2e3d4c5b6a',
          ownerRef: 'user:default/alice',
          userRef: 'alice',
          teamRef: 'group:default/payments',
          requestsOk: 2 ** 40,
          promptTokens: 9_007_199_254_740_991,
          spend: 5e-324,
        }),
        row({ date: '2026-11-02', model: 'other day' }),
      ];
      await store.replaceDays(['2026-11-01', '2026-11-02'], awkward);
      expect(await read(store)).toEqual([...awkward].sort(byDateAndModel));

      // Replacing one day leaves the other alone; an empty day empties it.
      const again = row({ model: 'only one', spend: 2.5 });
      await store.replaceDays(['2026-11-01'], [again]);
      expect(await read(store)).toEqual([again, awkward[4]]);
      await store.replaceDays(['2026-11-02'], []);
      expect(await read(store)).toEqual([again]);
      await expect(
        store.replaceDays(['2026-11-03'], [row({ date: '2026-11-04' })]),
      ).rejects.toThrow('outside the dates');
    },
  );

  it.each(databases.eachSupportedId())(
    'reads an export page by page in (date, key, model) order, each row once, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      // Plain lowercase names: every collation orders them as JavaScript does.
      const expected = [
        row({ keyHash: 'a', model: 'm1', ownerRef: 'user:default/a' }),
        row({ keyHash: 'a', model: 'm2', keyId: 'k-a', requestsOk: 7 }),
        row({ keyHash: 'b', model: 'm1', teamRef: 'group:default/t' }),
        row({ date: '2026-11-02', keyHash: 'a', model: 'm1', spend: 4.25 }),
        row({ date: '2026-11-02', keyHash: 'c', model: 'm3', userRef: 'u' }),
      ];
      await store.replaceDays(
        ['2026-11-01', '2026-11-02'],
        [...expected].reverse(),
      );
      for (const pageSize of [1, 2, 5, 6]) {
        const pages: UsageDailyRow[] = [];
        for await (const r of store.iterate(
          { from: '2026-11-01', to: '2026-11-30' },
          pageSize,
        ))
          pages.push(r);
        expect([pageSize, pages]).toEqual([pageSize, expected]);
      }
    },
  );

  // A cursor that is only a filter makes each page scan every row before it again: a
  // million rows' export took 238 s in the usage bench, a second a page by its end.
  it.each(databases.eachSupportedId())(
    'starts each export page at its cursor in the primary key index, on %p',
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      const store = new UsageStore(knex);
      await store.replaceDays(
        ['2026-11-01'],
        [row({ keyHash: 'a' }), row({ keyHash: 'b' })],
      );
      const queries: Array<{ sql: string; bindings: Knex.RawBinding[] }> = [];
      const onQuery = (q: { sql: string; bindings?: Knex.RawBinding[] }) =>
        queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
      knex.on('query', onQuery);
      const keys: string[] = [];
      try {
        for await (const r of store.iterate(
          { from: '2026-11-01', to: '2026-11-30' },
          1,
        ))
          keys.push(r.keyHash);
      } finally {
        knex.off('query', onQuery);
      }
      expect(keys).toEqual(['a', 'b']);
      // The second page's query, the first with a cursor.
      const { sql, bindings } = queries.find(q => q.bindings.includes('a'))!;
      const expected = {
        // The cursor bounds the index scan ("Index Cond"); no "Filter" after it.
        POSTGRES_15: [
          'Index Scan using litemaas_usage_daily_pk',
          expect.stringMatching(
            /^Index Cond: .*ROW\(\(date\)::text, \(key_hash\)::text, \(model\)::text\) > ROW\(/,
          ),
        ],
        // SQLite names only the leading column of a row-value bound; what shows is that
        // the page is a search of the primary key in its order, no sort, so it stops
        // after its rows.
        SQLITE_3: [
          'SEARCH litemaas_usage_daily USING INDEX sqlite_autoindex_litemaas_usage_daily_1 (date>? AND date<?)',
        ],
      };
      expect(await pagePlan(knex, sql, bindings)).toEqual(
        expected[databaseId as keyof typeof expected],
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'writes nothing of a replacement that fails part-way, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const kept = row({ model: 'kept' });
      await store.replaceDays(['2026-11-01'], [kept]);
      // The second row lacks a counter: the write fails after the day's rows were
      // deleted and the first row written, and the day stays as it was.
      await expect(
        store.replaceDays(
          ['2026-11-01'],
          [
            row({ model: 'new' }),
            row({ model: 'bad', requestsOk: null as any }),
          ],
        ),
      ).rejects.toThrow(/null/i);
      expect(await read(store)).toEqual([kept]);
      // The connection is usable again: the failed transaction left nothing held.
      await store.replaceDays(['2026-11-01'], [row({ model: 'after' })]);
      expect((await read(store)).map(r => r.model)).toEqual(['after']);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets concurrent replacements of the same days both succeed, the later one winning whole, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const days = ['2026-11-01', '2026-11-02'];
      const version = (name: string) =>
        days.flatMap(date =>
          Array.from({ length: 300 }, (_, i) =>
            row({ date, model: `${name}-${i}`, keyHash: `${i}`.repeat(4) }),
          ),
        );
      const a = version('a');
      const b = version('b');
      await store.replaceDays(days, version('before'));
      await Promise.all([
        store.replaceDays(days, a),
        store.replaceDays(days, b),
      ]);
      const models = (rows: UsageDailyRow[]) =>
        rows.map(r => `${r.date} ${r.model}`).sort();
      // Never a mix of the two, never a primary-key failure.
      expect([models(a), models(b)]).toContainEqual(models(await read(store)));
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses two rows of the same day, key and model and keeps the day as it was, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const kept = row({ model: 'kept' });
      await store.replaceDays(['2026-11-01'], [kept]);
      await expect(
        store.replaceDays(['2026-11-01'], [row({}), row({ spend: 2 })]),
      ).rejects.toThrow(/unique|duplicate/i);
      expect(await read(store)).toEqual([kept]);
    },
  );

  it.each(databases.eachSupportedId())(
    "answers everyone's usage by day and by model from the per-model summary, equal to the rows' sums, on %p",
    async databaseId => {
      const knex = await migratedDatabase(databaseId);
      const store = new UsageStore(knex);
      // Park-Miller: exact in doubles, so the same rows on every run.
      let seed = 7;
      const next = (n: number) => {
        seed = (seed * 48271) % 2147483647;
        return seed % n;
      };
      const owners = ['user:default/a', 'user:default/b', 'group:default/t'];
      const day = (date: string, keys: number) =>
        Array.from({ length: keys }, (_, i) =>
          row({
            date,
            keyHash: `k${i}`,
            model: `m${next(4)}`,
            ownerRef: owners[next(owners.length)],
            requestsOk: next(1000),
            requestsFailed: next(10),
            promptTokens: next(1_000_000),
            completionTokens: next(1_000_000),
            spend: next(100_000) / 1000,
          }),
        );
      const synced = new Map<string, UsageDailyRow[]>();
      const replace = async (dates: string[], rows: UsageDailyRow[]) => {
        await store.replaceDays(dates, rows);
        for (const d of dates)
          synced.set(
            d,
            rows.filter(r => r.date === d),
          );
      };
      const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];
      await replace(
        days,
        days.flatMap(d => day(d, 40)),
      );
      await replace(['2026-11-02'], day('2026-11-02', 25)); // a day synced again
      await replace(['2026-11-03'], []); // a day with nothing left
      const all = [...synced.values()].flat();
      const groupsOf = (
        rows: UsageDailyRow[],
        groupOf: (r: UsageDailyRow) => string,
      ) => [...new Set(rows.map(groupOf))].sort();
      const period = { from: '2026-10-01', to: '2026-11-30' };
      for (const [groupBy, groupOf] of [
        ['day', (r: UsageDailyRow) => r.date],
        ['model', (r: UsageDailyRow) => r.model],
      ] as const) {
        for (const model of [undefined, 'm1']) {
          const rows = all.filter(r => !model || r.model === model);
          const summary = await store.report({ ...period, model }, groupBy);
          // The same question with an owner filter is answered from the rows.
          const detail = await store.report(
            { ...period, model, ownerRefs: owners },
            groupBy,
          );
          expect(summary.groups.map(g => g.group)).toEqual(
            groupsOf(rows, groupOf),
          );
          expect(summary.groups.length).toBeGreaterThan(
            model && groupBy === 'model' ? 0 : 1,
          );
          for (const [i, g] of summary.groups.entries()) {
            const mine = rows.filter(r => groupOf(r) === g.group);
            const d = detail.groups[i];
            expect(d.group).toBe(g.group);
            expect(g.successfulRequests).toBe(
              mine.reduce((n, r) => n + r.requestsOk, 0),
            );
            expect(g.failedRequests).toBe(
              mine.reduce((n, r) => n + r.requestsFailed, 0),
            );
            expect(g.promptTokens).toBe(
              mine.reduce((n, r) => n + r.promptTokens, 0),
            );
            expect(g.completionTokens).toBe(
              mine.reduce((n, r) => n + r.completionTokens, 0),
            );
            expect(g.spend).toBeCloseTo(
              mine.reduce((n, r) => n + r.spend, 0),
              9,
            );
            expect({ ...d, spend: 0 }).toEqual({ ...g, spend: 0 });
            expect(d.spend).toBeCloseTo(g.spend, 9);
          }
        }
      }
      // It is the summary that answers: a change made to it alone shows in the report.
      await knex('litemaas_usage_model_daily')
        .where({ date: '2026-11-04' })
        .update({ requests_failed: 1_000_000 });
      const changed = await store.report(period, 'day');
      expect(changed.groups.find(g => g.group === '2026-11-04')).toMatchObject({
        failedRequests:
          1_000_000 * new Set(synced.get('2026-11-04')!.map(r => r.model)).size,
      });
      const scoped = await store.report(
        { ...period, ownerRefs: owners },
        'day',
      );
      expect(
        scoped.groups.find(g => g.group === '2026-11-04')!.failedRequests,
      ).toBeLessThan(1_000_000);
    },
  );
});
