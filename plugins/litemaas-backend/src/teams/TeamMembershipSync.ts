import {
  AuthService,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { UpdateTeamRequest } from '@litemaas/backstage-plugin-litemaas-common';
import { StoredTeam, TeamStore } from '../database/TeamStore';
import { LiteLLMApi } from '../litellm';
import { Caller } from '../services/AccessService';
import { SharedCache } from '../services/SharedCache';
import { UserService } from '../services/UserService';
import { isAlreadyInTeam, isNotInTeam } from './litellmMessages';
import { groupMembers, readTeamAnnotations, sameList } from './teamAnnotations';
import { TeamSettingsWriter } from './TeamSettingsWriter';

/** Actor of the scheduled jobs in the audit trail. */
const SYSTEM_ACTOR = 'plugin:litemaas';
const FIRST_USE_TTL_MS = 5 * 60_000;

/** What one sync changed: teams synced, members added and removed, teams that failed. */
export interface TeamSyncReport {
  teams: number;
  added: number;
  removed: number;
  errors: number;
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

  /** Scheduled: annotations and members of every team from the catalog. Never throws. */
  async syncAll(): Promise<TeamSyncReport> {
    const report = { teams: 0, added: 0, removed: 0, errors: 0 };
    for (const team of await this.#o.teams.list()) {
      try {
        const r = await this.syncTeam(team);
        report.teams++;
        report.added += r.added;
        report.removed += r.removed;
      } catch (error) {
        report.errors++;
        const e = error instanceof Error ? error : new Error(String(error));
        this.#o.logger.warn('Could not sync a LiteMaaS team', {
          team: team.ref,
          name: e.name,
          message: e.message,
        });
      }
    }
    return report;
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
    if (await this.#o.teams.isMember(team.ref, caller.userRef)) return true;
    return this.#firstUseJoin(caller.userRef, team);
  }

  /** The caller's teams (refs) they are currently a member of. */
  async myTeamRefs(caller: Caller): Promise<string[]> {
    const groups = caller.ownershipRefs.filter(r => r.startsWith('group:'));
    const out: string[] = [];
    for (const team of await this.#o.teams.getMany(groups)) {
      if (await this.isMember(caller, team)) out.push(team.ref);
    }
    return out;
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

  async #addMember(team: StoredTeam, userRef: string): Promise<void> {
    // The LiteLLM user first, with LiteMaaS defaults (member_add would create a bare one).
    await this.#o.users.ensure(userRef);
    try {
      await this.#o.litellm.addTeamMembers(team.litellmTeamId, {
        role: 'user',
        user_id: userRef,
      });
    } catch (error) {
      if (!isAlreadyInTeam(error)) throw error;
    }
    await this.#o.teams.addMembers(team.ref, [userRef]);
    this.#o.logger.info('Added a member to a LiteMaaS team', {
      team: team.ref,
      userRef,
    });
  }
}
