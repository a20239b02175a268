import { mockServices } from '@backstage/backend-test-utils';
import { applyDatabaseMigrations } from '../database/migrations';
import { TeamStore } from '../database/TeamStore';
import { UsageStore } from '../database/UsageStore';
import {
  LiteLLMApi,
  LiteLLMDailyActivityPage,
  LiteLLMUserDailyActivityQuery,
} from '../litellm';
import { createTestDatabases } from '../testUtils';
import { UsageSyncService } from './UsageSyncService';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-30T12:00:00.000Z');
const DAYS = ['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'];

/** One key's 10 requests on `gpt-4o` for each day asked, as LiteLLM pages them. */
function page(query: LiteLLMUserDailyActivityQuery): LiteLLMDailyActivityPage {
  const metrics = {
    spend: 0.5,
    prompt_tokens: 100,
    completion_tokens: 50,
    total_tokens: 150,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
    api_requests: 10,
    successful_requests: 10,
    failed_requests: 0,
  };
  return {
    results: DAYS.filter(d => d >= query.start_date && d <= query.end_date).map(
      date => ({
        date,
        metrics,
        breakdown: {
          models: {
            'gpt-4o': {
              metrics,
              metadata: {},
              api_key_breakdown: {
                ['a'.repeat(64)]: { metrics, metadata: {} },
              },
            },
          },
        },
      }),
    ),
    metadata: { page: 1, total_pages: 1, has_more: false },
  };
}

/**
 * Waits for a read that a pipelined sync starts during the write; a sync that waited
 * for the write first would wait forever, so this gives up, failing the test.
 */
async function nextRead(read: ReturnType<typeof latch>) {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('the next window was not read during the write')),
      10_000,
    );
  });
  try {
    await Promise.race([read.reached, stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when `signal()` is called; never earlier. */
function latch() {
  let signal!: () => void;
  const reached = new Promise<void>(resolve => {
    signal = resolve;
  });
  return { reached, signal };
}

describe('UsageSyncService: one window written while the next is read', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(mockServices.database({ knex }));
    const usage = new UsageStore(knex);
    const events: string[] = [];
    const reads = new Map<string, ReturnType<typeof latch>>(
      DAYS.map(d => [d, latch()]),
    );
    let readFails: string | undefined;
    let readWaits: { date: string; until: Promise<void> } | undefined;
    const litellm = {
      async getUserDailyActivityPage(query: LiteLLMUserDailyActivityQuery) {
        events.push(`read ${query.start_date}`);
        reads.get(query.start_date)!.signal();
        if (query.start_date === readWaits?.date) await readWaits.until;
        if (query.start_date === readFails) throw new Error('LiteLLM is away');
        return page(query);
      },
    } as unknown as LiteLLMApi;
    const service = new UsageSyncService({
      usage,
      teamStore: new TeamStore(knex),
      litellm,
      access: {} as any,
      audit: {} as any,
      logger: mockServices.logger.mock(),
      settings: { backfillDays: 3, windowDays: 1, finalizeAfterMs: 0 },
      now: () => NOW,
    });
    return {
      knex,
      usage,
      service,
      events,
      reads,
      failReadOf: (date: string) => {
        readFails = date;
      },
      holdReadOf: (date: string, until: Promise<void>) => {
        readWaits = { date, until };
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'reads the next window during a write, writes one at a time, totals exact, on %p',
    async databaseId => {
      const { usage, service, events, reads } = await setUp(databaseId);
      const replaceDays = usage.replaceDays.bind(usage);
      let writing = 0;
      let mostAtOnce = 0;
      usage.replaceDays = async (dates, rows) => {
        writing++;
        mostAtOnce = Math.max(mostAtOnce, writing);
        events.push(`write ${dates[0]} starts`);
        // This write ends only once the next window is being read: a sync that waited
        // for it before reading on would never get there.
        const next = DAYS[DAYS.indexOf(dates[0]) + 1];
        if (next) await nextRead(reads.get(next)!);
        await replaceDays(dates, rows);
        events.push(`write ${dates[0]} ends`);
        writing--;
      };

      const report = await service.sync();

      // Every window but the first was read while the one before it was written...
      for (const [i, date] of DAYS.slice(1).entries()) {
        expect(events.indexOf(`read ${date}`)).toBeLessThan(
          events.indexOf(`write ${DAYS[i]} ends`),
        );
      }
      // ...and the writes came one after the other, in order.
      expect(events.filter(e => e.startsWith('write'))).toEqual(
        DAYS.flatMap(d => [`write ${d} starts`, `write ${d} ends`]),
      );
      expect(mostAtOnce).toBe(1);
      expect(report).toMatchObject({
        from: '2026-11-27',
        to: '2026-11-30',
        days: 4,
        rows: 4,
        pages: 4,
        spend: 2,
      });
      const totals = await usage.report(
        { from: '2026-11-27', to: '2026-11-30' },
        'day',
      );
      expect(totals.totals).toMatchObject({ requests: 40, spend: 2 });
      expect(await usage.finalDays('2026-11-27', '2026-11-30')).toEqual(
        new Set(['2026-11-27', '2026-11-28', '2026-11-29']),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'ends with the error of a write that failed during a read, nothing left running, on %p',
    async databaseId => {
      const { usage, service, events, reads, holdReadOf } = await setUp(
        databaseId,
      );
      // The second window's read lasts until the first window's write has failed, and a
      // little longer: time enough for Node to report a rejection nobody handles.
      const failed = latch();
      holdReadOf(
        DAYS[1],
        failed.reached.then(() => new Promise(r => setTimeout(r, 50))),
      );
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        usage.replaceDays = async dates => {
          events.push(`write ${dates[0]} fails`);
          // It fails while the next window is being read.
          await nextRead(reads.get(DAYS[DAYS.indexOf(dates[0]) + 1])!);
          failed.signal();
          throw new Error('the database went away');
        };

        await expect(service.sync()).rejects.toThrow('the database went away');
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      expect(unhandled).toEqual([]);
      // Nothing read after the failure.
      expect(events.sort()).toEqual([
        'read 2026-11-27',
        'read 2026-11-28',
        'write 2026-11-27 fails',
      ]);
      expect(await usage.finalDays('2026-11-27', '2026-11-30')).toEqual(
        new Set(),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'ends with the error of a read that failed during a write, after that write, on %p',
    async databaseId => {
      const { usage, service, events, failReadOf } = await setUp(databaseId);
      failReadOf('2026-11-29');
      const replaceDays = usage.replaceDays.bind(usage);
      usage.replaceDays = async (dates, rows) => {
        events.push(`write ${dates[0]} starts`);
        // Slower than the read, so the read's failure comes first.
        await new Promise(resolve => setImmediate(resolve));
        await replaceDays(dates, rows);
        events.push(`write ${dates[0]} ends`);
      };

      await service.sync().catch(e => events.push(`sync fails: ${e.message}`));

      expect(events.filter(e => e.startsWith('read'))).toEqual([
        'read 2026-11-27',
        'read 2026-11-28',
        'read 2026-11-29',
      ]);
      // The run ends once the write in flight is done, with the read's error.
      expect(events.filter(e => !e.startsWith('read'))).toEqual([
        'write 2026-11-27 starts',
        'write 2026-11-27 ends',
        'write 2026-11-28 starts',
        'write 2026-11-28 ends',
        'sync fails: LiteLLM is away',
      ]);
      // The two windows written before the failure are kept, and final.
      expect(await usage.finalDays('2026-11-27', '2026-11-30')).toEqual(
        new Set(['2026-11-27', '2026-11-28']),
      );
    },
  );
});
