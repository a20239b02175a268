import { z } from 'zod/v3';
import {
  mergeDailyActivityPages,
  normalizeDailyActivityPage,
} from './dailyActivity';
import { parseDailyActivityJson } from './dailyActivityJson';
import { dailyActivityPageSchema, spendLogsPageSchema } from './schemas';
import { QueryValue, LiteLLMTransport } from './transport';
import {
  LiteLLMDailyActivityPage,
  LiteLLMDailyActivityPageOptions,
  LiteLLMDailyActivityReport,
  LiteLLMSpendLog,
  LiteLLMSpendLogsPage,
  LiteLLMSpendLogsPageQuery,
  LiteLLMSpendLogsQuery,
  LiteLLMTeamDailyActivityQuery,
  LiteLLMUserDailyActivityQuery,
} from './types';

/** Spend logs and daily activity: `/spend/logs*`, `/{user,team}/daily/activity`. */
export class LiteLLMSpendClient {
  constructor(private readonly transport: LiteLLMTransport) {}

  async getSpendLogs(query: LiteLLMSpendLogsQuery): Promise<LiteLLMSpendLog[]> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/spend/logs',
      query: { ...query, api_key: this.transport.optionalKeyId(query.api_key) },
    });
    return this.transport.parse(
      z.array(z.record(z.unknown())),
      body,
      'GET',
      '/spend/logs',
    ) as LiteLLMSpendLog[];
  }

  async getSpendLogsPage(
    query: LiteLLMSpendLogsPageQuery,
  ): Promise<LiteLLMSpendLogsPage> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/spend/logs/ui',
      query: { ...query, api_key: this.transport.optionalKeyId(query.api_key) },
    });
    const parsed = this.transport.parse(
      spendLogsPageSchema,
      body,
      'GET',
      '/spend/logs/ui',
    );
    const page = parsed.page ?? query.page ?? 1;
    return {
      ...parsed,
      data: parsed.data as LiteLLMSpendLog[],
      total: parsed.total ?? undefined,
      page_size: parsed.page_size ?? query.page_size,
      page,
      total_pages: parsed.total_pages ?? page,
    };
  }

  async *iterateSpendLogs(
    query: Omit<LiteLLMSpendLogsPageQuery, 'page'>,
  ): AsyncGenerator<LiteLLMSpendLog> {
    for (let page = 1; page <= this.transport.maxPages; page++) {
      const result = await this.getSpendLogsPage({ ...query, page });
      yield* result.data;
      if (result.data.length === 0 || page >= result.total_pages) return;
    }
    this.transport.warnPageCap('/spend/logs/ui');
  }

  async getUserDailyActivityPage(
    query: LiteLLMUserDailyActivityQuery,
    options?: LiteLLMDailyActivityPageOptions,
  ): Promise<LiteLLMDailyActivityPage> {
    return this.dailyActivityPage(
      '/user/daily/activity',
      {
        ...query,
        api_key: this.transport.optionalKeyId(query.api_key),
      },
      options,
    );
  }

  iterateUserDailyActivity(
    query: LiteLLMUserDailyActivityQuery,
  ): AsyncGenerator<LiteLLMDailyActivityPage> {
    return this.walkDailyActivity('/user/daily/activity', {
      ...query,
      api_key: this.transport.optionalKeyId(query.api_key),
    });
  }

  async getUserDailyActivity(
    query: Omit<LiteLLMUserDailyActivityQuery, 'page'>,
  ): Promise<LiteLLMDailyActivityReport> {
    return this.collectDailyActivity(this.iterateUserDailyActivity(query));
  }

  async getTeamDailyActivityPage(
    query: LiteLLMTeamDailyActivityQuery,
    options?: LiteLLMDailyActivityPageOptions,
  ): Promise<LiteLLMDailyActivityPage> {
    return this.dailyActivityPage(
      '/team/daily/activity',
      {
        ...query,
        api_key: this.transport.optionalKeyId(query.api_key),
      },
      options,
    );
  }

  iterateTeamDailyActivity(
    query: LiteLLMTeamDailyActivityQuery,
  ): AsyncGenerator<LiteLLMDailyActivityPage> {
    return this.walkDailyActivity('/team/daily/activity', {
      ...query,
      api_key: this.transport.optionalKeyId(query.api_key),
    });
  }

  async getTeamDailyActivity(
    query: Omit<LiteLLMTeamDailyActivityQuery, 'page'>,
  ): Promise<LiteLLMDailyActivityReport> {
    return this.collectDailyActivity(this.iterateTeamDailyActivity(query));
  }

  private async dailyActivityPage(
    route: string,
    query: Record<string, QueryValue>,
    options?: LiteLLMDailyActivityPageOptions,
  ): Promise<LiteLLMDailyActivityPage> {
    const body = await this.transport.call({
      method: 'GET',
      route,
      query,
      parseBody: bytes =>
        parseDailyActivityJson(
          bytes,
          options?.breakdowns,
          options?.metadataOnly,
        ),
    });
    const parsed = this.transport.parse(
      dailyActivityPageSchema,
      body,
      'GET',
      route,
    );
    return normalizeDailyActivityPage(
      parsed as { results: Record<string, unknown>[]; metadata?: null },
      typeof query.page === 'number' ? query.page : 1,
      options,
    );
  }

  private async *walkDailyActivity(
    route: string,
    query: Record<string, QueryValue>,
  ): AsyncGenerator<LiteLLMDailyActivityPage> {
    const first = typeof query.page === 'number' ? query.page : 1;
    for (let page = first; page < first + this.transport.maxPages; page++) {
      const result = await this.dailyActivityPage(route, { ...query, page });
      yield result;
      const { has_more: hasMore, total_pages: totalPages } = result.metadata;
      if (!hasMore || page >= totalPages || result.results.length === 0) {
        return;
      }
    }
    this.transport.warnPageCap(route);
  }

  private async collectDailyActivity(
    pages: AsyncGenerator<LiteLLMDailyActivityPage>,
  ): Promise<LiteLLMDailyActivityReport> {
    const all: LiteLLMDailyActivityPage[] = [];
    for await (const page of pages) all.push(page);
    return mergeDailyActivityPages(all);
  }
}
