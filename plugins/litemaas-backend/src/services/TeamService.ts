import {
  AuthService,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  budgetPeriodSchema,
  EnableTeamRequest,
  litemaasAuditReadPermission,
  litemaasLimitsManagePermission,
  LITEMAAS_TEAM_ANNOTATIONS,
  Team,
  TeamSettingField,
  UpdateTeamRequest,
} from '@litemaas/backstage-plugin-litemaas-common';
import { AnyRequest as Request } from './request';
import { StoredTeam, TeamSettings, TeamStore } from '../database/TeamStore';
import {
  LiteLLMApi,
  LiteLLMConflictError,
  LiteLLMError,
  LiteLLMNotFoundError,
  LiteLLMTeamUpdateRequest,
  toBackstageError,
} from '../litellm';
import { AccessService, Caller } from './AccessService';
import { AuditService } from './AuditService';
import type { KeyModelRevoker } from '../keys/KeyModelRevoker';
import { SharedCache } from './SharedCache';
import { UserService } from './UserService';

/** Actor of the scheduled jobs in the audit trail. */
const SYSTEM_ACTOR = 'plugin:litemaas';
const LIVE_TTL_MS = 30_000;
const FIRST_USE_TTL_MS = 5 * 60_000;
/** LiteLLM's explicit "every model" entry: a team list is never sent empty. */
const ALL_MODELS = 'all-proxy-models';

/** What the key side asks of teams (a group-owned key is a team key). */
export interface TeamKeyPolicy {
  /** The LiteLLM team a key of this owner belongs to, if the owner is a LiteMaaS team. */
  litellmTeamIdFor(ownerRef: string): Promise<string | undefined>;
  /** The models the owner's team allows its keys; null when it does not narrow them. */
  allowedModelsOf(ownerRef: string): Promise<readonly string[] | null>;
}

interface LiveTeam {
  spend: number | null;
  budgetResetAt: string | null;
}

/** Settings read from a group's `litemaas.io/*` annotations; invalid ones are reported. */
export function readTeamAnnotations(entity: Entity): {
  settings: TeamSettings;
  fields: TeamSettingField[];
  errors: string[];
} {
  const a = entity.metadata.annotations ?? {};
  const settings: TeamSettings = {};
  const fields: TeamSettingField[] = [];
  const errors: string[] = [];
  const number = (
    name: string,
    field: 'maxBudget' | 'tpmLimit' | 'rpmLimit',
    int: boolean,
  ) => {
    const raw = a[name];
    if (raw === undefined) return;
    const value = Number(raw.trim());
    if (
      raw.trim() === '' ||
      !Number.isFinite(value) ||
      value <= 0 ||
      (int && !Number.isInteger(value))
    ) {
      errors.push(
        `${name}: '${raw}' is not a positive ${int ? 'whole ' : ''}number`,
      );
      return;
    }
    settings[field] = value;
    fields.push(field);
  };
  number(LITEMAAS_TEAM_ANNOTATIONS.budget, 'maxBudget', false);
  number(LITEMAAS_TEAM_ANNOTATIONS.tpmLimit, 'tpmLimit', true);
  number(LITEMAAS_TEAM_ANNOTATIONS.rpmLimit, 'rpmLimit', true);
  const period = a[LITEMAAS_TEAM_ANNOTATIONS.budgetPeriod];
  if (period !== undefined) {
    const parsed = budgetPeriodSchema.safeParse(period);
    if (parsed.success) {
      settings.budgetDuration = parsed.data;
      fields.push('budgetDuration');
    } else {
      errors.push(
        `${LITEMAAS_TEAM_ANNOTATIONS.budgetPeriod}: '${period}' is not daily, weekly, monthly or a duration like 30d`,
      );
    }
  }
  const models = a[LITEMAAS_TEAM_ANNOTATIONS.allowedModels];
  if (models !== undefined) {
    const list = models
      .split(',')
      .map(m => m.trim())
      .filter(Boolean);
    if (list.length === 0) {
      errors.push(`${LITEMAAS_TEAM_ANNOTATIONS.allowedModels} is empty`);
    } else {
      settings.allowedModels = list;
      fields.push('allowedModels');
    }
  }
  return { settings, fields, errors };
}

/** Direct members of a group entity (its `hasMember` relations to users). */
export function groupMembers(entity: Entity): string[] {
  return [
    ...new Set(
      (entity.relations ?? [])
        .filter(
          r =>
            r.type === 'hasMember' &&
            r.targetRef.toLocaleLowerCase('en-US').startsWith('user:'),
        )
        .map(r => r.targetRef.toLocaleLowerCase('en-US')),
    ),
  ].sort();
}

function sameList(a: readonly string[] | null, b: readonly string[] | null) {
  if (a === null || b === null) return a === b;
  return (
    a.length === b.length &&
    [...a].sort().join('\n') === [...b].sort().join('\n')
  );
}

export interface TeamServiceOptions {
  teams: TeamStore;
  litellm: LiteLLMApi;
  /** Shared by replicas: teams' live spend, recent first-use membership checks. */
  cache: CacheService;
  catalog: CatalogService;
  auth: AuthService;
  access: AccessService;
  audit: AuditService;
  users: UserService;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * LiteMaaS teams: Backstage groups with a LiteLLM team. An admin enables a group; its
 * LiteLLM membership follows the group's members in the catalog (scheduled sync, and a
 * member's first use of the portal); settings may come from the group's annotations
 * (budgets as code), which the admin API then cannot override. Non-members never learn
 * a team exists (404).
 */
export class TeamService implements TeamKeyPolicy {
  readonly #o: TeamServiceOptions;
  readonly #now: () => Date;
  /** A team's spend from LiteLLM, kept a short while. */
  readonly #live: SharedCache<LiveTeam>;
  /** Members recently checked against the catalog on first use (found or not). */
  readonly #firstUse: SharedCache<true>;
  #revoker?: KeyModelRevoker;

  constructor(options: TeamServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
    this.#live = new SharedCache(options.cache, 'team-live', LIVE_TTL_MS);
    this.#firstUse = new SharedCache(
      options.cache,
      'team-first-use',
      FIRST_USE_TTL_MS,
    );
  }

  /** Lets narrowed allowed models leave the team's keys (set once the key side exists). */
  setKeyModelRevoker(revoker: KeyModelRevoker): void {
    this.#revoker = revoker;
  }

  // ------------------------------------------------------------------ key policy

  async litellmTeamIdFor(ownerRef: string): Promise<string | undefined> {
    if (!ownerRef.startsWith('group:')) return undefined;
    return (await this.#o.teams.get(ownerRef))?.litellmTeamId;
  }

  async allowedModelsOf(ownerRef: string): Promise<readonly string[] | null> {
    if (!ownerRef.startsWith('group:')) return null;
    return (await this.#o.teams.get(ownerRef))?.allowedModels ?? null;
  }

  // ------------------------------------------------------------------ user routes

  /** The caller's teams, with budget, spend and limits. */
  async listMine(caller: Caller): Promise<Team[]> {
    const groups = caller.ownershipRefs.filter(r => r.startsWith('group:'));
    const teams = await this.#o.teams.getMany(groups);
    const mine: StoredTeam[] = [];
    for (const team of teams) {
      if (await this.#isMember(caller, team)) mine.push(team);
    }
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
      ((await this.#isMember(caller, team)) ||
        (await this.#o.access.isAllowed(caller, litemaasAuditReadPermission)))
    ) {
      return team;
    }
    throw new NotFoundError(`Team '${ref}' not found`);
  }

  /** The caller's teams (refs) they are currently a member of. */
  async myTeamRefs(caller: Caller): Promise<string[]> {
    const groups = caller.ownershipRefs.filter(r => r.startsWith('group:'));
    const out: string[] = [];
    for (const team of await this.#o.teams.getMany(groups)) {
      if (await this.#isMember(caller, team)) out.push(team.ref);
    }
    return out;
  }

  // ------------------------------------------------------------------ admin routes

  async listAll(caller: Caller): Promise<Team[]> {
    await this.#o.access.require(caller, litemaasLimitsManagePermission);
    const teams = await this.#o.teams.list();
    return Promise.all(teams.map(t => this.#present(t)));
  }

  async enable(
    caller: Caller,
    body: EnableTeamRequest,
    request?: Request,
  ): Promise<Team> {
    return this.#o.audit.track(
      {
        actorRef: caller.userRef,
        action: 'team.enable',
        targetType: 'team',
        targetId: body.group,
        details: { ...body },
        request,
        severity: 'high',
      },
      async () => {
        await this.#o.access.require(caller, litemaasLimitsManagePermission);
        const ref = body.group;
        const group = await this.#group(ref);
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
        await this.#createLiteLLMTeam(litellmTeamId, settings);
        const team = await this.#o.teams.create({
          ...settings,
          ref,
          litellmTeamId,
          createdBy: caller.userRef,
        });
        await this.#syncMembers(team, groupMembers(group));
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
    request?: Request,
  ): Promise<Team> {
    return this.#o.audit.track(
      {
        actorRef: caller.userRef,
        action: 'team.update',
        targetType: 'team',
        targetId: ref,
        details: { changes: patch },
        request,
        severity: 'high',
      },
      async () => {
        await this.#o.access.require(caller, litemaasLimitsManagePermission);
        const team = await this.#o.teams.get(ref);
        if (!team) throw new NotFoundError(`Team '${ref}' not found`);
        this.#assertNotCatalogManaged(team.catalogManaged, patch);
        const updated = await this.#apply(team, patch, caller.userRef);
        return this.#present(updated);
      },
    );
  }

  /** Admin "sync now": every team's settings and members from the catalog. */
  async syncNow(caller: Caller): Promise<{
    teams: number;
    added: number;
    removed: number;
    errors: number;
  }> {
    await this.#o.access.require(caller, litemaasLimitsManagePermission);
    return this.syncAll();
  }

  // ------------------------------------------------------------------ sync

  /** Scheduled: annotations and members of every team from the catalog. Never throws. */
  async syncAll(): Promise<{
    teams: number;
    added: number;
    removed: number;
    errors: number;
  }> {
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
    const group = await this.#group(team.ref);
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
        team = await this.#apply(
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
    const result = await this.#syncMembers(team, members);
    await this.#o.teams.markSynced(team.ref, this.#now());
    return result;
  }

  // ------------------------------------------------------------------ internals

  async #isMember(caller: Caller, team: StoredTeam): Promise<boolean> {
    // The caller's identity (token ownership refs) must say so, and so must the catalog
    // as last synced: someone removed from the group loses access at the next sync even
    // while their sign-in still lists the group.
    if (!caller.ownershipRefs.includes(team.ref)) return false;
    if (await this.#o.teams.isMember(team.ref, caller.userRef)) return true;
    return this.#firstUseJoin(caller.userRef, team);
  }

  /** A member new to the portal joins the LiteLLM team now, if the catalog agrees. */
  async #firstUseJoin(userRef: string, team: StoredTeam): Promise<boolean> {
    const cacheKey = `${team.ref}|${userRef}`;
    if (await this.#firstUse.get(cacheKey)) return false;
    await this.#firstUse.set(cacheKey, true);
    const group = await this.#group(team.ref);
    if (!group || !groupMembers(group).includes(userRef)) return false;
    await this.#addMember(team, userRef);
    await this.#firstUse.delete(cacheKey);
    return true;
  }

  async #group(ref: string): Promise<Entity | undefined> {
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

  #litellmChanges(settings: TeamSettings): LiteLLMTeamUpdateRequest {
    const changes: LiteLLMTeamUpdateRequest = {};
    if (settings.maxBudget !== undefined)
      changes.max_budget = settings.maxBudget;
    if (settings.budgetDuration !== undefined)
      changes.budget_duration = settings.budgetDuration;
    if (settings.tpmLimit !== undefined) changes.tpm_limit = settings.tpmLimit;
    if (settings.rpmLimit !== undefined) changes.rpm_limit = settings.rpmLimit;
    if (settings.allowedModels !== undefined) {
      // Never an empty list (LiteLLM reads it as "all models"): say so explicitly.
      changes.models =
        settings.allowedModels && settings.allowedModels.length > 0
          ? settings.allowedModels
          : [ALL_MODELS];
    }
    return changes;
  }

  async #createLiteLLMTeam(teamId: string, settings: TeamSettings) {
    const changes = this.#litellmChanges({
      ...settings,
      allowedModels: settings.allowedModels ?? null,
    });
    try {
      await this.#o.litellm.createTeam({
        team_id: teamId,
        team_alias: settings.displayName ?? teamId,
        ...changes,
        metadata: { managed_by: 'litemaas-backstage', litemaas_group: teamId },
      } as any);
    } catch (error) {
      if (!(error instanceof LiteLLMConflictError) && !isAlreadyExists(error)) {
        throw toBackstageError(error, 'the team was not created');
      }
      // Left over from an earlier enable (or created by another replica): take it over.
      await this.#o.litellm.updateTeam(teamId, changes);
    }
  }

  async #apply(
    team: StoredTeam,
    patch: UpdateTeamRequest,
    actorRef: string,
    catalogManaged?: TeamSettingField[],
  ): Promise<StoredTeam> {
    const settings: TeamSettings = { ...patch };
    const changes = this.#litellmChanges(settings);
    if (Object.keys(changes).length > 0) {
      try {
        await this.#o.litellm.updateTeam(team.litellmTeamId, changes);
      } catch (error) {
        throw toBackstageError(error, 'the team was not changed');
      }
      await this.#live.delete(team.ref);
    }
    const updated = await this.#o.teams.update(team.ref, {
      ...settings,
      catalogManaged,
    });
    // Narrowed models leave the team's keys (a key losing its last model is blocked),
    // whatever the team allowed before (no list at all included).
    if (patch.allowedModels && this.#revoker) {
      await this.#revoker.enforceSubjectAccess({
        subjectRef: team.ref,
        actorRef,
        reason: `no longer allowed for the team ${team.ref}`,
      });
    }
    return updated;
  }

  async #syncMembers(
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

  async #liveOf(team: StoredTeam): Promise<LiveTeam> {
    const cached = await this.#live.get(team.ref);
    if (cached) return cached;
    let live: LiveTeam = { spend: null, budgetResetAt: null };
    try {
      const info = await this.#o.litellm.getTeamInfo(team.litellmTeamId);
      live = {
        spend:
          typeof info.team_info.spend === 'number' ? info.team_info.spend : 0,
        budgetResetAt: info.team_info.budget_reset_at ?? null,
      };
      await this.#live.set(team.ref, live);
    } catch (error) {
      if (!(error instanceof LiteLLMError)) throw error;
    }
    return live;
  }

  async #present(team: StoredTeam): Promise<Team> {
    const [live, members] = await Promise.all([
      this.#liveOf(team),
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

function messageOf(error: unknown): string {
  if (error instanceof LiteLLMError) return `${error.detail} ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function isAlreadyExists(error: unknown): boolean {
  return (
    error instanceof LiteLLMError && /already exists/i.test(messageOf(error))
  );
}

function isAlreadyInTeam(error: unknown): boolean {
  return (
    error instanceof LiteLLMError &&
    (error instanceof LiteLLMConflictError ||
      /already in team|already_in_team/i.test(messageOf(error)))
  );
}

function isNotInTeam(error: unknown): boolean {
  return (
    error instanceof LiteLLMError &&
    (error instanceof LiteLLMNotFoundError ||
      /not found in team|not in team|does not exist/i.test(messageOf(error)))
  );
}
