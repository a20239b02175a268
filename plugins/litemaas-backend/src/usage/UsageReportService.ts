import { Readable } from 'node:stream';
import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AdminUsageQuery,
  litemaasAuditReadPermission,
  UsageQuery,
  UsageReport,
} from '@litemaas/backstage-plugin-litemaas-common';
import { KeyStore } from '../database/KeyStore';
import { UsageFilter, UsageStore } from '../database/UsageStore';
import { LiteLLMError } from '../litellm';
import { AccessService, Caller } from '../services/AccessService';
import { TeamMembershipSync } from '../teams';
import { usageCsv } from './usageCsv';

export interface UsageReportServiceOptions {
  usage: UsageStore;
  teams: Pick<TeamMembershipSync, 'myTeams'>;
  keys: KeyStore;
  catalog: CatalogService;
  auth: AuthService;
  access: AccessService;
  currency: string;
}

/**
 * Reports on the `usage_daily` rollup: the caller's own (their keys, their teams' and
 * the entities they own) and everyone's for admins, as JSON or CSV.
 */
export class UsageReportService {
  readonly #o: UsageReportServiceOptions;

  constructor(options: UsageReportServiceOptions) {
    this.#o = options;
  }

  /** The caller's usage and their teams'; never another user's rows. */
  async report(caller: Caller, query: UsageQuery): Promise<UsageReport> {
    const filter = await this.#scopedFilter(caller, query);
    return this.#report(filter, query);
  }

  /** Everyone's usage (admin). */
  async adminReport(
    caller: Caller,
    query: AdminUsageQuery,
  ): Promise<UsageReport> {
    await this.#o.access.require(caller, litemaasAuditReadPermission);
    return this.#report(this.#adminFilter(query), query);
  }

  async #report(filter: UsageFilter, query: UsageQuery): Promise<UsageReport> {
    const [{ groups, totals }, lastSyncedAt] = await Promise.all([
      this.#o.usage.report(filter, query.groupBy),
      this.#o.usage.lastSyncedAt(),
    ]);
    const names =
      query.groupBy === 'key'
        ? await this.#o.usage.keyNames(
            groups.map(g => g.group).filter((g): g is string => g !== null),
          )
        : new Map<string, string>();
    return {
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      currency: this.#o.currency,
      rows: groups.map(g => ({
        ...g,
        label: g.group === null ? null : names.get(g.group) ?? null,
      })),
      totals,
      lastSyncedAt,
    };
  }

  /**
   * The usage as CSV, one row per day, key and model, for the route to stream: access is
   * checked before anything is returned. Text cells that a spreadsheet would run as a
   * formula are prefixed with `'`.
   */
  async exportCsv(
    caller: Caller,
    query: UsageQuery | AdminUsageQuery,
    admin: boolean,
  ): Promise<{ filename: string; csv: Readable }> {
    let filter: UsageFilter;
    if (admin) {
      await this.#o.access.require(caller, litemaasAuditReadPermission);
      filter = this.#adminFilter(query);
    } else {
      filter = await this.#scopedFilter(caller, query);
    }
    const csv = usageCsv(this.#o.usage.iterate(filter));
    return {
      filename: `litemaas-usage-${query.from}-${query.to}.csv`,
      csv,
    };
  }

  #adminFilter(query: AdminUsageQuery | UsageQuery): UsageFilter {
    return {
      from: query.from,
      to: query.to,
      teamRef: query.team,
      keyId: query.key,
      model: query.model,
      ownerRef: query.entity,
      userRef: (query as AdminUsageQuery).user,
    };
  }

  /**
   * The rows a user may see: keys owned by them, by groups they belong to (LiteMaaS teams
   * only while the catalog still lists them), or by an entity they own when they ask for
   * it. Anything outside that scope is "not found", whatever the parameters.
   */
  async #scopedFilter(caller: Caller, query: UsageQuery): Promise<UsageFilter> {
    const groups = caller.ownershipRefs.filter(r => r.startsWith('group:'));
    const { teams: known, mine } = await this.#o.teams.myTeams(caller);
    const teams = new Set(known.map(t => t.ref));
    const myTeams = new Set(mine.map(t => t.ref));
    const scope = new Set<string>([
      caller.userRef,
      ...groups.filter(g => !teams.has(g) || myTeams.has(g)),
    ]);
    const filter: UsageFilter = {
      from: query.from,
      to: query.to,
      model: query.model,
      ownerRefs: [...scope],
    };
    if (query.team) {
      if (!myTeams.has(query.team)) {
        throw new NotFoundError(`Team '${query.team}' not found`);
      }
      filter.teamRef = query.team;
    }
    const allowEntity = async (ref: string) => {
      if (scope.has(ref)) return;
      if (!(await this.#ownsEntity(caller, ref))) {
        throw new NotFoundError(`'${ref}' not found`);
      }
      filter.ownerRefs = [ref];
    };
    if (query.entity) {
      await allowEntity(query.entity);
      filter.ownerRef = query.entity;
    }
    if (query.key) {
      const key = await this.#o.keys.get(query.key);
      if (!key) throw new NotFoundError(`Key '${query.key}' not found`);
      await allowEntity(key.ownerRef).catch(() => {
        throw new NotFoundError(`Key '${query.key}' not found`);
      });
      filter.keyId = query.key;
    }
    return filter;
  }

  /** Whether a component, system (or other owned entity) is owned by the caller. */
  async #ownsEntity(caller: Caller, ref: string): Promise<boolean> {
    const kind = ref.slice(0, ref.indexOf(':'));
    if (kind === 'user' || kind === 'group') return false;
    let entity: Entity | undefined;
    try {
      entity = await this.#o.catalog.getEntityByRef(ref, {
        credentials: await this.#o.auth.getOwnServiceCredentials(),
      });
    } catch (error) {
      if (error instanceof LiteLLMError) throw error;
      return false;
    }
    if (!entity) return false;
    const owners = new Set(
      (entity.relations ?? [])
        .filter(r => r.type === 'ownedBy')
        .map(r => r.targetRef.toLocaleLowerCase('en-US')),
    );
    const specOwner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    if (typeof specOwner === 'string') {
      try {
        owners.add(
          stringifyEntityRef(
            parseEntityRef(specOwner, {
              defaultKind: 'group',
              defaultNamespace: entity.metadata.namespace ?? 'default',
            }),
          ).toLocaleLowerCase('en-US'),
        );
      } catch {
        // an unparsable owner owns nothing
      }
    }
    return caller.ownershipRefs.some(r =>
      owners.has(r.toLocaleLowerCase('en-US')),
    );
  }
}
