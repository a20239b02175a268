import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../testUtils';
import { applyDatabaseMigrations } from './migrations';
import { UsageDailyRow, UsageFilter, UsageStore } from './UsageStore';

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

describe('UsageStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    return new UsageStore(knex);
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
    "answers from the summaries what they keep, from the rows the rest, always the rows' sums, on %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(mockServices.database({ knex }));
      const store = new UsageStore(knex);
      // Park-Miller: exact in doubles, so the same rows on every run.
      let seed = 7;
      const next = (n: number) => {
        seed = (seed * 48271) % 2147483647;
        return seed % n;
      };
      const [alice, bob, team] = [
        'user:default/a',
        'user:default/b',
        'group:default/t',
      ];
      const owners = [alice, bob, team, null];
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
        for (const d of dates) {
          synced.set(
            d,
            rows.filter(r => r.date === d),
          );
        }
      };
      const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];
      await replace(
        days,
        days.flatMap(d => day(d, 60)),
      );
      await replace(['2026-11-02'], day('2026-11-02', 25)); // a day synced again
      await replace(['2026-11-03'], []); // a day with nothing left
      const all = [...synced.values()].flat();
      const period = { from: '2026-10-01', to: '2026-11-30' };
      const byDay = (r: UsageDailyRow) => r.date;
      const byModel = (r: UsageDailyRow) => r.model;
      const questions: Array<
        [
          Omit<UsageFilter, 'from' | 'to'>,
          'day' | 'model',
          (r: UsageDailyRow) => boolean,
        ]
      > = [
        // Everyone's (the per-model summary).
        [{}, 'day', () => true],
        [{}, 'model', () => true],
        [{ model: 'm1' }, 'day', r => r.model === 'm1'],
        [{ model: 'm1' }, 'model', r => r.model === 'm1'],
        // An owner's, or a user's with their team's, by day (the per-owner summary).
        [{ ownerRefs: [alice] }, 'day', r => r.ownerRef === alice],
        [
          { ownerRefs: [alice, team] },
          'day',
          r => r.ownerRef === alice || r.ownerRef === team,
        ],
        [{ ownerRef: team }, 'day', r => r.ownerRef === team],
        // What no summary keeps (the rows).
        [{ ownerRefs: [alice] }, 'model', r => r.ownerRef === alice],
        [
          { ownerRefs: [bob], model: 'm2' },
          'day',
          r => r.ownerRef === bob && r.model === 'm2',
        ],
      ];
      for (const [narrowing, groupBy, wanted] of questions) {
        const groupOf = groupBy === 'day' ? byDay : byModel;
        const rows = all.filter(wanted);
        const report = await store.report({ ...period, ...narrowing }, groupBy);
        const question = `${groupBy} ${JSON.stringify(narrowing)}`;
        expect([question, report.groups.map(g => g.group)]).toEqual([
          question,
          [...new Set(rows.map(groupOf))].sort(),
        ]);
        expect(report.groups.length).toBeGreaterThan(0);
        for (const g of report.groups) {
          const mine = rows.filter(r => groupOf(r) === g.group);
          const sum = (f: (r: UsageDailyRow) => number) =>
            mine.reduce((n, r) => n + f(r), 0);
          expect([question, g.group, g.successfulRequests]).toEqual([
            question,
            g.group,
            sum(r => r.requestsOk),
          ]);
          expect(g.failedRequests).toBe(sum(r => r.requestsFailed));
          expect(g.promptTokens).toBe(sum(r => r.promptTokens));
          expect(g.completionTokens).toBe(sum(r => r.completionTokens));
          expect(g.spend).toBeCloseTo(
            sum(r => r.spend),
            9,
          );
        }
      }

      // It is the summaries that answer: a change made to one alone shows where it serves.
      const failedOn = async (
        narrowing: Omit<UsageFilter, 'from' | 'to'>,
        date: string,
      ) =>
        (await store.report({ ...period, ...narrowing }, 'day')).groups.find(
          g => g.group === date,
        )?.failedRequests ?? 0;
      const date = '2026-11-04';
      await knex('litemaas_usage_model_daily')
        .where({ date })
        .update({ requests_failed: 1_000_000 });
      await knex('litemaas_usage_owner_daily')
        .where({ date, owner_ref: alice })
        .update({ requests_failed: 2_000_000 });
      const models = new Set(synced.get(date)!.map(r => r.model)).size;
      expect(await failedOn({}, date)).toBe(1_000_000 * models);
      expect(await failedOn({ ownerRefs: [alice] }, date)).toBe(2_000_000);
      expect(await failedOn({ ownerRefs: [bob] }, date)).toBeLessThan(
        1_000_000,
      );
      expect(
        await failedOn({ ownerRefs: [alice], model: 'm1' }, date),
      ).toBeLessThan(1_000_000);
    },
  );
});
