import { teamInfoSchema, teamListSchema, teamRowSchema } from './schemas';
import { isRecord, requireNonEmpty, LiteLLMTransport } from './transport';
import {
  LiteLLMTeam,
  LiteLLMTeamInfo,
  LiteLLMTeamMember,
  LiteLLMTeamMemberAddResult,
  LiteLLMTeamMembership,
  LiteLLMTeamNewRequest,
  LiteLLMTeamUpdateRequest,
} from './types';

/** Teams and their members: `/team/*`. */
export class LiteLLMTeamsClient {
  constructor(private readonly transport: LiteLLMTransport) {}

  async createTeam(request: LiteLLMTeamNewRequest): Promise<LiteLLMTeam> {
    const body = await this.transport.call({
      method: 'POST',
      route: '/team/new',
      body: request,
    });
    return this.transport.parse(
      teamRowSchema,
      body,
      'POST',
      '/team/new',
    ) as LiteLLMTeam;
  }

  async getTeamInfo(teamId: string): Promise<LiteLLMTeamInfo> {
    requireNonEmpty(teamId, 'teamId');
    const body = await this.transport.call({
      method: 'GET',
      route: '/team/info',
      query: { team_id: teamId },
    });
    const parsed = this.transport.parse(
      teamInfoSchema,
      body,
      'GET',
      '/team/info',
    );
    return {
      ...parsed,
      team_id: parsed.team_id ?? parsed.team_info.team_id,
      team_info: parsed.team_info as LiteLLMTeam,
      keys: (parsed.keys ?? []).map(k =>
        this.transport.toKeyInfo(k, undefined, '/team/info'),
      ),
      team_memberships: (parsed.team_memberships ??
        []) as LiteLLMTeamMembership[],
    };
  }

  async updateTeam(
    teamId: string,
    changes: LiteLLMTeamUpdateRequest,
  ): Promise<{ team_id: string; data: LiteLLMTeam }> {
    requireNonEmpty(teamId, 'teamId');
    const body = await this.transport.call({
      method: 'POST',
      route: '/team/update',
      body: { ...changes, team_id: teamId },
    });
    const record = isRecord(body) ? body : {};
    const data = isRecord(record.data) ? record.data : record;
    return {
      ...record,
      team_id: teamId,
      data: { ...data, team_id: teamId } as LiteLLMTeam,
    };
  }

  async addTeamMembers(
    teamId: string,
    members: LiteLLMTeamMember | LiteLLMTeamMember[],
    options: { maxBudgetInTeam?: number } = {},
  ): Promise<LiteLLMTeamMemberAddResult> {
    requireNonEmpty(teamId, 'teamId');
    const body = await this.transport.call({
      method: 'POST',
      route: '/team/member_add',
      body: {
        team_id: teamId,
        member: members,
        max_budget_in_team: options.maxBudgetInTeam,
      },
    });
    const record = isRecord(body) ? body : {};
    return { ...record, team_id: teamId } as LiteLLMTeamMemberAddResult;
  }

  async removeTeamMember(
    teamId: string,
    member: { user_id: string } | { user_email: string },
  ): Promise<LiteLLMTeam> {
    requireNonEmpty(teamId, 'teamId');
    const body = await this.transport.call({
      method: 'POST',
      route: '/team/member_delete',
      body: { ...member, team_id: teamId },
    });
    const record = isRecord(body) ? body : {};
    return { ...record, team_id: teamId } as LiteLLMTeam;
  }

  async deleteTeams(teamIds: string[]): Promise<{ deleted_teams: string[] }> {
    if (teamIds.length === 0) return { deleted_teams: [] };
    const body = await this.transport.call({
      method: 'POST',
      route: '/team/delete',
      body: { team_ids: teamIds },
    });
    const deleted = this.transport.stringList(body, 'deleted_teams');
    return { deleted_teams: deleted.length > 0 ? deleted : teamIds };
  }

  async listTeams(
    query: { user_id?: string; organization_id?: string } = {},
  ): Promise<LiteLLMTeam[]> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/team/list',
      query: { ...query },
    });
    const parsed = this.transport.parse(
      teamListSchema,
      body,
      'GET',
      '/team/list',
    );
    return (Array.isArray(parsed) ? parsed : parsed.teams) as LiteLLMTeam[];
  }
}
