import { LiteLLMNotFoundError } from './errors';
import { userInfoSchema, userListSchema, userRowSchema } from './schemas';
import { isRecord, requireNonEmpty, LiteLLMTransport } from './transport';
import {
  LiteLLMNewUser,
  LiteLLMTeam,
  LiteLLMUser,
  LiteLLMUserInfo,
  LiteLLMUserListPage,
  LiteLLMUserListQuery,
  LiteLLMUserNewRequest,
  LiteLLMUserUpdateRequest,
} from './types';

/** Internal users: `/user/*`. */
export class LiteLLMUsersClient {
  constructor(private readonly transport: LiteLLMTransport) {}

  async createUser(request: LiteLLMUserNewRequest): Promise<LiteLLMNewUser> {
    const body = await this.transport.call({
      method: 'POST',
      route: '/user/new',
      body: { auto_create_key: false, ...request },
    });
    return this.transport.parse(
      userRowSchema,
      body,
      'POST',
      '/user/new',
    ) as LiteLLMNewUser;
  }

  async getUserInfo(userId: string): Promise<LiteLLMUserInfo | undefined> {
    // Never call /user/info without user_id: with the master key it lists everything.
    requireNonEmpty(userId, 'userId');
    let body: unknown;
    try {
      body = await this.transport.call({
        method: 'GET',
        route: '/user/info',
        query: { user_id: userId },
      });
    } catch (error) {
      if (error instanceof LiteLLMNotFoundError) return undefined;
      throw error;
    }
    const parsed = this.transport.parse(
      userInfoSchema,
      body,
      'GET',
      '/user/info',
    );
    const info = parsed.user_info;
    // Old LiteLLM answers an unknown user with 200 {user_info: {spend: 0}} (no user_id).
    if (!info || typeof info.user_id !== 'string' || info.user_id === '') {
      return undefined;
    }
    return {
      ...parsed,
      user_id: parsed.user_id ?? info.user_id,
      user_info: info as LiteLLMUser,
      keys: (parsed.keys ?? []).map(k =>
        this.transport.toKeyInfo(k, undefined, '/user/info'),
      ),
      teams: (parsed.teams ?? []) as LiteLLMTeam[],
    };
  }

  async updateUser(
    userId: string,
    changes: LiteLLMUserUpdateRequest,
  ): Promise<{ user_id: string; data: Record<string, unknown> }> {
    requireNonEmpty(userId, 'userId');
    const body = await this.transport.call({
      method: 'POST',
      route: '/user/update',
      body: { ...changes, user_id: userId },
    });
    const record = isRecord(body) ? body : {};
    return {
      ...record,
      user_id: typeof record.user_id === 'string' ? record.user_id : userId,
      data: isRecord(record.data) ? record.data : {},
    };
  }

  async deleteUsers(userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.transport.call({
      method: 'POST',
      route: '/user/delete',
      body: { user_ids: userIds },
    });
  }

  async listUsers(
    query: LiteLLMUserListQuery = {},
  ): Promise<LiteLLMUserListPage> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/user/list',
      query: { ...query },
    });
    const parsed = this.transport.parse(
      userListSchema,
      body,
      'GET',
      '/user/list',
    );
    const page = parsed.page ?? query.page ?? 1;
    return {
      ...parsed,
      users: parsed.users as LiteLLMUser[],
      total: parsed.total ?? parsed.users.length,
      page,
      page_size: parsed.page_size ?? query.page_size ?? parsed.users.length,
      total_pages: parsed.total_pages ?? page,
    };
  }
}
