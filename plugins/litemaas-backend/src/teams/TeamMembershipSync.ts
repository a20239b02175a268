import {
  AuthService,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CustomErrorBase, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { UpdateTeamRequest } from '@litemaas/backstage-plugin-litemaas-common';
import { isDatabaseUnavailable } from '../database/errors';
import { unreachableService } from '../services/unreachableService';
import { StoredTeam, TeamStore } from '../database/TeamStore';
import {
  LiteLLMApi,
  LiteLLMError,
  LiteLLMNotFoundError,
  LiteLLMTeam,
  toBackstageError,
} from '../litellm';
import { Caller } from '../services/AccessService';
import { SharedCache } from '../services/SharedCache';
import { UserService } from '../services/UserService';
import { isAlreadyInTeam, isNotInTeam } from './litellmMessages';
import { groupMembers, readTeamAnnotations, sameList } from './teamAnnotations';
import { TeamSettingsWriter } from './TeamSettingsWriter';

/** Actor of the scheduled jobs in the audit trail. */
const SYSTEM_ACTOR = 'plugin:litemaas';
const FIRST_USE_TTL_MS = 5 * 60_000;
/**
 * A LiteLLM team LiteMaaS made for a group but never recorded is left alone this long:
 * an enable still running records its team within seconds.
 */
export const ABANDONED_TEAM_AGE_MS = 5 * 60_000;

/** What one sync changed: teams synced, members added and removed, teams that failed. */
export interface TeamSyncReport {
  teams: number;
  added: number;
  removed: number;
  /** LiteLLM teams an enable made but never recorded, deleted. */
  abandonedTeamsDeleted: number;
  errors: number;
}

/** A sync's report with what failed, each with a message fit for an administrator. */
export interface TeamSyncOutcome extends TeamSyncReport {
  failures: Array<{ team: string; message: string }>;
}

/**
 * A failure's message for an administrator: Backstage errors as they are, LiteLLM errors
 * as routes give them, a lost database as such; anything else (a query's message holds
 * its SQL) only by name.
 */
function failureMessage(error: unknown): string {
  if (error instanceof LiteLLMError) {
    return (toBackstageError(error) as Error).message;
  }
  if (isDatabaseUnavailable(error))
    return 'the LiteMaaS database is unavailable';
  const service = unreachableService(error);
  if (service !== undefined)
    return service
      ? `the Backstage ${service} service is unavailable`
      : 'a Backstage service is unavailable';
  if (error instanceof CustomErrorBase) return error.message;
  return `an unexpected ${
    error instanceof Error ? error.name : 'error'
  } (see the backend logs)`;
}

export interface TeamMembershipSyncOptions {
  teams: TeamStore;
  litellm: LiteLLMApi;
  /** Shared by replicas: recent first-use membership checks. */
  cache: CacheService;
  catalog: CatalogService;
  auth: AuthService;
  users: UserService;
  settings: TeamSettingsWriter;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * A LiteMaaS team's LiteLLM membership follows its group's members in the catalog: on a
 * schedule for every team, and on a member's first use of the portal. The same sync
 * carries the group's `litemaas.io/*` annotations into the team's settings.
 */
export class TeamMembershipSync {
  readonly #o: TeamMembershipSyncOptions;
  readonly #now: () => Date;
  /** Members recently checked against the catalog on first use (found or not). */
  readonly #firstUse: SharedCache<true>;

  constructor(options: TeamMembershipSyncOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
    this.#firstUse = new SharedCache(
      options.cache,
      'team-first-use',
      FIRST_USE_TTL_MS,
    );
  }

  /**
   * Scheduled: annotations and members of every team from the catalog, then LiteLLM teams
   * an enable left behind are deleted. Never throws: failures are counted and told.
   */
  async syncAll(): Promise<TeamSyncOutcome> {
    const report: TeamSyncOutcome = {
      teams: 0,
      added: 0,
      removed: 0,
      abandonedTeamsDeleted: 0,
      errors: 0,
      failures: [],
    };
    const fail = (team: string, error: unknown, what: string) => {
      report.errors++;
      report.failures.push({ team, message: failureMessage(error) });
      const e = error instanceof Error ? error : new Error(String(error));
      this.#o.logger.warn(what, { team, name: e.name, message: e.message });
    };
    const teams = await this.#o.teams.list();
    for (const team of teams) {
      try {
        const r = await this.syncTeam(team);
        report.teams++;
        report.added += r.added;
        report.removed += r.removed;
      } catch (error) {
        fail(team.ref, error, 'Could not sync a LiteMaaS team');
      }
    }
    const recorded = new Set(teams.map(t => t.litellmTeamId));
    for (const abandoned of await this.#abandonedTeams(recorded, fail)) {
      try {
        if (await this.#deleteAbandoned(abandoned)) {
          report.abandonedTeamsDeleted++;
        }
      } catch (error) {
        fail(abandoned.team_id, error, 'Could not delete an abandoned team');
      }
    }
    return report;
  }

  /**
   * LiteLLM teams an enable made for a group but never recorded (it failed after LiteLLM
   * made the team, or LiteLLM made it after the enable gave up), older than
   * {@link ABANDONED_TEAM_AGE_MS}. Enabling the group again would take such a team over.
   */
  async #abandonedTeams(
    recorded: ReadonlySet<string>,
    fail: (team: string, error: unknown, what: string) => void,
  ): Promise<LiteLLMTeam[]> {
    let teams: LiteLLMTeam[];
    try {
      teams = await this.#o.litellm.listTeams();
    } catch (error) {
      fail('LiteLLM teams', error, 'Could not list the LiteLLM teams');
      return [];
    }
    const before = this.#now().getTime() - ABANDONED_TEAM_AGE_MS;
    return teams.filter(team => {
      const made = team.metadata;
      return (
        made?.managed_by === 'litemaas-backstage' &&
        typeof made.litemaas_group === 'string' &&
        !recorded.has(team.team_id) &&
        // LiteLLM's own clock; a team without a creation time is never deleted.
        Date.parse(String(team.created_at ?? '')) < before
      );
    });
  }

  /**
   * Deletes an abandoned LiteLLM team, unless its group was enabled meanwhile or it holds
   * keys (LiteLLM deletes a team's keys with it): enabling the group again takes it over.
   */
  async #deleteAbandoned(team: LiteLLMTeam): Promise<boolean> {
    const group = String(team.metadata?.litemaas_group);
    if (await this.#o.teams.get(group)) return false;
    try {
      const info = await this.#o.litellm.getTeamInfo(team.team_id);
      if (info.keys.length > 0) {
        this.#o.logger.warn(
          'A LiteLLM team of a group that is not a LiteMaaS team holds keys; enabling the group takes it over',
          { team: team.team_id, keys: info.keys.length },
        );
        return false;
      }
      await this.#o.litellm.deleteTeams([team.team_id]);
    } catch (error) {
      if (error instanceof LiteLLMNotFoundError) return false;
      throw error;
    }
    this.#o.logger.info(
      'Deleted a LiteLLM team an enable left behind (its group is not a LiteMaaS team)',
      { team: team.team_id },
    );
    return true;
  }

  async syncTeam(
    stored: StoredTeam,
  ): Promise<{ added: number; removed: number }> {
    let team = stored;
    const group = await this.group(team.ref);
    let members: string[] = [];
    if (group) {
      const fromCatalog = readTeamAnnotations(group);
      for (const error of fromCatalog.errors) {
        this.#o.logger.warn('Ignoring an invalid LiteMaaS annotation', {
          team: team.ref,
          error,
        });
      }
      const changes: UpdateTeamRequest = {};
      for (const field of fromCatalog.fields) {
        const value = fromCatalog.settings[field];
        if (
          field === 'allowedModels'
            ? !sameList(team.allowedModels, value as string[])
            : team[field] !== value
        ) {
          (changes as any)[field] = value;
        }
      }
      // An annotation removed from the catalog hands the setting back to the admin API
      // (its last value stays).
      const managedChanged = !sameList(team.catalogManaged, fromCatalog.fields);
      if (Object.keys(changes).length > 0 || managedChanged) {
        team = await this.#o.settings.apply(
          team,
          changes,
          SYSTEM_ACTOR,
          fromCatalog.fields,
        );
      }
      members = groupMembers(group);
    } else {
      this.#o.logger.warn(
        'A LiteMaaS team group is missing from the catalog; removing its members',
        { team: team.ref },
      );
    }
    const result = await this.syncMembers(team, members);
    await this.#o.teams.markSynced(team.ref, this.#now());
    return result;
  }

  /** Whether the caller is a member of the team now (joining it on first use). */
  async isMember(caller: Caller, team: StoredTeam): Promise<boolean> {
    // The caller's identity (token ownership refs) must say so, and so must the catalog
    // as last synced: someone removed from the group loses access at the next sync even
    // while their sign-in still lists the group.
    if (!caller.ownershipRefs.includes(team.ref)) return false;
    const members = await this.#o.teams.memberOf(caller.userRef, [team.ref]);
    if (members.has(team.ref)) return true;
    return this.#firstUseJoin(caller.userRef, team);
  }

  /**
   * The LiteMaaS teams among the caller's groups, and those of them the caller is a
   * member of now (as {@link TeamMembershipSync.isMember} decides, joining on first use):
   * one query for the teams and one for the memberships, whatever their number.
   */
  async myTeams(
    caller: Caller,
  ): Promise<{ teams: StoredTeam[]; mine: StoredTeam[] }> {
    const groups = caller.ownershipRefs.filter(r => r.startsWith('group:'));
    const teams = await this.#o.teams.getMany(groups);
    if (teams.length === 0) return { teams, mine: [] };
    const members = await this.#o.teams.memberOf(
      caller.userRef,
      teams.map(t => t.ref),
    );
    const mine: StoredTeam[] = [];
    for (const team of teams) {
      if (
        members.has(team.ref) ||
        (await this.#firstUseJoin(caller.userRef, team))
      ) {
        mine.push(team);
      }
    }
    return { teams, mine };
  }

  /** The group entity from the catalog; undefined when the catalog does not know it. */
  async group(ref: string): Promise<Entity | undefined> {
    try {
      return await this.#o.catalog.getEntityByRef(ref, {
        credentials: await this.#o.auth.getOwnServiceCredentials(),
      });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      if (e.name === 'NotFoundError') return undefined;
      throw new ServiceUnavailableError(
        `The catalog could not be asked about ${ref}: ${e.message}`,
      );
    }
  }

  /** Adds and removes LiteLLM team members until they are `desired`. */
  async syncMembers(
    team: StoredTeam,
    desired: readonly string[],
  ): Promise<{ added: number; removed: number }> {
    const current = new Set(await this.#o.teams.members(team.ref));
    const want = new Set(desired);
    let added = 0;
    let removed = 0;
    for (const userRef of desired) {
      if (!current.has(userRef)) {
        await this.#addMember(team, userRef);
        added++;
      }
    }
    for (const userRef of current) {
      if (!want.has(userRef)) {
        try {
          await this.#o.litellm.removeTeamMember(team.litellmTeamId, {
            user_id: userRef,
          });
        } catch (error) {
          if (!isNotInTeam(error)) throw error;
        }
        await this.#o.teams.removeMembers(team.ref, [userRef]);
        this.#o.logger.info('Removed a member from a LiteMaaS team', {
          team: team.ref,
          userRef,
        });
        removed++;
      }
    }
    return { added, removed };
  }

  /** A member new to the portal joins the LiteLLM team now, if the catalog agrees. */
  async #firstUseJoin(userRef: string, team: StoredTeam): Promise<boolean> {
    const cacheKey = `${team.ref}|${userRef}`;
    if (await this.#firstUse.get(cacheKey)) return false;
    await this.#firstUse.set(cacheKey, true);
    const group = await this.group(team.ref);
    if (!group || !groupMembers(group).includes(userRef)) return false;
    await this.#addMember(team, userRef);
    await this.#firstUse.delete(cacheKey);
    return true;
  }

  /**
   * Makes users members of a LiteLLM team, in LiteLLM only (already a member is fine):
   * a team being enabled gets its members before its row is written. LiteLLM failing is
   * a route error naming `action`.
   */
  async joinLiteLLMTeam(
    teamId: string,
    userRefs: readonly string[],
    action: string,
  ): Promise<void> {
    for (const userRef of userRefs) {
      try {
        await this.#joinLiteLLMTeam(teamId, userRef);
      } catch (error) {
        throw toBackstageError(error, action);
      }
    }
  }

  async #joinLiteLLMTeam(teamId: string, userRef: string): Promise<void> {
    // The LiteLLM user first, with LiteMaaS defaults (member_add would create a bare one).
    await this.#o.users.ensure(userRef);
    try {
      await this.#o.litellm.addTeamMembers(teamId, {
        role: 'user',
        user_id: userRef,
      });
    } catch (error) {
      if (!isAlreadyInTeam(error)) throw error;
    }
  }

  async #addMember(team: StoredTeam, userRef: string): Promise<void> {
    await this.joinLiteLLMTeam(
      team.litellmTeamId,
      [userRef],
      `${userRef} was not added to ${team.ref}`,
    );
    await this.#o.teams.addMembers(team.ref, [userRef]);
    this.#o.logger.info('Added a member to a LiteMaaS team', {
      team: team.ref,
      userRef,
    });
  }
}
