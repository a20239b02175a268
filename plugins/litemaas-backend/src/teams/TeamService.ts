import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  EnableTeamRequest,
  litemaasAuditReadPermission,
  litemaasLimitsManagePermission,
  Team,
  TeamSettingField,
  UpdateTeamRequest,
} from '@litemaas/backstage-plugin-litemaas-common';
import { StoredTeam, TeamSettings, TeamStore } from '../database/TeamStore';
import { AccessService, Caller } from '../services/AccessService';
import { AuditService } from '../services/AuditService';
import { groupMembers, readTeamAnnotations } from './teamAnnotations';
import { TeamLiveSpend } from './TeamLiveSpend';
import { TeamMembershipSync, TeamSyncReport } from './TeamMembershipSync';
import { TeamSettingsWriter } from './TeamSettingsWriter';

export interface TeamServiceOptions {
  teams: TeamStore;
  access: AccessService;
  audit: AuditService;
  live: TeamLiveSpend;
  membership: TeamMembershipSync;
  settings: TeamSettingsWriter;
}

/**
 * LiteMaaS teams: Backstage groups with a LiteLLM team. An admin enables a group; its
 * LiteLLM membership follows the group's members in the catalog ({@link
 * TeamMembershipSync}); settings may come from the group's annotations (budgets as code),
 * which the admin API then cannot override. Non-members never learn a team exists (404).
 */
export class TeamService {
  readonly #o: TeamServiceOptions;

  constructor(options: TeamServiceOptions) {
    this.#o = options;
  }

  // ------------------------------------------------------------------ user routes

  /** The caller's teams, with budget, spend and limits. */
  async listMine(caller: Caller): Promise<Team[]> {
    const { mine } = await this.#o.membership.myTeams(caller);
    return Promise.all(mine.map(t => this.#present(t)));
  }

  /** One team; 404 unless the caller is a member (or may read everything). */
  async get(caller: Caller, ref: string): Promise<Team> {
    return this.#present(await this.requireVisible(caller, ref));
  }

  /** The team if the caller is a member or an admin, else NotFoundError. */
  async requireVisible(caller: Caller, ref: string): Promise<StoredTeam> {
    const team = await this.#o.teams.get(ref);
    if (
      team &&
      ((await this.#o.membership.isMember(caller, team)) ||
        (await this.#o.access.isAllowed(caller, litemaasAuditReadPermission)))
    ) {
      return team;
    }
    throw new NotFoundError(`Team '${ref}' not found`);
  }

  // ------------------------------------------------------------------ admin routes

  async listAll(caller: Caller): Promise<Team[]> {
    await this.#o.access.require(caller, litemaasLimitsManagePermission);
    const teams = await this.#o.teams.list();
    return Promise.all(teams.map(t => this.#present(t)));
  }

  async enable(caller: Caller, body: EnableTeamRequest): Promise<Team> {
    return this.#o.audit.trackCaller(
      caller,
      {
        action: 'team.enable',
        targetType: 'team',
        targetId: body.group,
        details: { ...body },
        severity: 'high',
      },
      async () => {
        await this.#o.access.require(caller, litemaasLimitsManagePermission);
        const ref = body.group;
        const group = await this.#o.membership.group(ref);
        if (!group) {
          throw new NotFoundError(`Group '${ref}' not found in the catalog`);
        }
        if (await this.#o.teams.get(ref)) {
          throw new ConflictError(`LiteMaaS is already enabled for ${ref}`);
        }
        const fromCatalog = readTeamAnnotations(group);
        this.#assertNotCatalogManaged(fromCatalog.fields, body);
        const settings: TeamSettings = {
          displayName: group.spec?.profile
            ? ((group.spec.profile as any).displayName as string) ??
              group.metadata.title ??
              group.metadata.name
            : group.metadata.title ?? group.metadata.name,
          maxBudget: body.maxBudget ?? null,
          budgetDuration: body.budgetDuration ?? null,
          tpmLimit: body.tpmLimit ?? null,
          rpmLimit: body.rpmLimit ?? null,
          allowedModels: body.allowedModels ?? null,
          ...fromCatalog.settings,
          catalogManaged: fromCatalog.fields,
        };
        const litellmTeamId = ref;
        const members = groupMembers(group);
        // LiteLLM first (the team, its members, the group's keys), the team's row and
        // members last and at once: a failure leaves no row, enabling again takes the
        // LiteLLM team over, and the team sync deletes one nobody takes over.
        await this.#o.settings.createLiteLLMTeam(litellmTeamId, settings);
        await this.#o.membership.joinLiteLLMTeam(
          litellmTeamId,
          members,
          'the team was not enabled',
        );
        // Keys the group owned before it was a team join the LiteLLM team.
        const attached = await this.#o.settings.attachExistingKeys(
          ref,
          litellmTeamId,
        );
        const team = await this.#o.teams.create({
          ...settings,
          ref,
          litellmTeamId,
          createdBy: caller.userRef,
          members,
        });
        if (attached > 0) {
          await this.#o.settings.narrowKeysOfNewTeam(team, caller.userRef);
        }
        return this.#present(team);
      },
      team => ({
        details: {
          maxBudget: team.maxBudget,
          budgetDuration: team.budgetDuration,
          catalogManaged: team.catalogManaged,
          members: team.members.length,
        },
      }),
    );
  }

  async update(
    caller: Caller,
    ref: string,
    patch: UpdateTeamRequest,
  ): Promise<Team> {
    return this.#o.audit.trackCaller(
      caller,
      {
        action: 'team.update',
        targetType: 'team',
        targetId: ref,
        details: { changes: patch },
        severity: 'high',
      },
      async () => {
        await this.#o.access.require(caller, litemaasLimitsManagePermission);
        const team = await this.#o.teams.get(ref);
        if (!team) throw new NotFoundError(`Team '${ref}' not found`);
        this.#assertNotCatalogManaged(team.catalogManaged, patch);
        const updated = await this.#o.settings.apply(
          team,
          patch,
          caller.userRef,
        );
        return this.#present(updated);
      },
    );
  }

  /**
   * Admin "sync now": every team's settings and members from the catalog. What could not
   * be synced is a 503 naming each team and why (the others are synced).
   */
  async syncNow(caller: Caller): Promise<TeamSyncReport> {
    await this.#o.access.require(caller, litemaasLimitsManagePermission);
    const { failures, ...report } = await this.#o.membership.syncAll();
    if (failures.length > 0) {
      throw new ServiceUnavailableError(
        `Could not sync ${failures
          .map(f => `${f.team} (${f.message})`)
          .join('; ')}; ${
          report.teams
        } team(s) synced; the scheduled sync tries again`,
      );
    }
    return report;
  }

  // ------------------------------------------------------------------ internals

  #assertNotCatalogManaged(
    managed: readonly TeamSettingField[],
    body: Partial<Record<TeamSettingField, unknown>>,
  ): void {
    const clash = managed.filter(f => (body as any)[f] !== undefined);
    if (clash.length > 0) {
      throw new ConflictError(
        `These settings come from the group's catalog annotations and must be changed there: ${clash.join(
          ', ',
        )}`,
      );
    }
  }

  async #present(team: StoredTeam): Promise<Team> {
    const [live, members] = await Promise.all([
      this.#o.live.of(team),
      this.#o.teams.members(team.ref),
    ]);
    return {
      ...team,
      members,
      spend: live.spend,
      budgetResetAt: live.budgetResetAt,
      budgetUsedRatio:
        live.spend !== null && team.maxBudget
          ? live.spend / team.maxBudget
          : null,
    };
  }
}
