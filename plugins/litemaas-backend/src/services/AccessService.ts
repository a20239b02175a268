import { createHash } from 'node:crypto';
import {
  BackstageCredentials,
  CacheService,
  BackstageUserPrincipal,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { LITEMAAS_KEY_RESOURCE_TYPE } from '@litemaas/backstage-plugin-litemaas-common';
import { AuditOrigin } from './AuditService';
import { SharedCache } from './SharedCache';
import {
  KeyPermissionResource,
  litemaasKeyResourceRef,
} from '../permissions/rules';

/** The signed-in user behind a request, resolved once per request. */
export interface Caller {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  /** `user:default/alice`, normalised (`normalizeEntityRef`). */
  userRef: string;
  /** The user and the groups they belong to, from the catalog, normalised. */
  ownershipRefs: string[];
  /** The request's audit origin; the audit trail records it with the caller's actions. */
  origin?: AuditOrigin;
}

type KeyPermission = ResourcePermission<typeof LITEMAAS_KEY_RESOURCE_TYPE>;

/**
 * How long a user's decision on a permission is reused. Asking the policy is a request to
 * the permission backend, as costly as the request being served; a person's page asks
 * several times within a second. The decision depends on who the user is and the groups
 * they own through, both part of the cache key, so a membership change is never served a
 * stale answer; a changed policy is, for at most this long.
 */
export const DECISION_TTL_MS = 5_000;

/**
 * Authorization of a resolved {@link Caller} (the routes resolve it from the request with
 * `RequestCallers`). Decisions come from the permission framework.
 */
export class AccessService {
  readonly #keyAuthorizer: (
    decision: PolicyDecision,
    resource: KeyPermissionResource | undefined,
  ) => boolean;

  readonly #decisions: SharedCache<PolicyDecision>;

  constructor(
    private readonly permissions: PermissionsService,
    permissionsRegistry: PermissionsRegistryService,
    cache: CacheService,
  ) {
    // The plugin's CacheService: shared by the replicas, bounded by its store.
    this.#decisions = new SharedCache(cache, 'decision', DECISION_TTL_MS);
    this.#keyAuthorizer = createConditionAuthorizer(
      permissionsRegistry.getPermissionRuleset(litemaasKeyResourceRef),
    );
  }

  async isAllowed(caller: Caller, permission: BasicPermission) {
    const decision = await this.#decision(caller, permission, async () => {
      const [answer] = await this.permissions.authorize([{ permission }], {
        credentials: caller.credentials,
      });
      return answer;
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Throws NotAllowedError (403) unless the caller holds the permission. */
  async require(caller: Caller, permission: BasicPermission): Promise<void> {
    if (!(await this.isAllowed(caller, permission))) {
      throw new NotAllowedError(
        `You are not allowed to do this (${permission.name})`,
      );
    }
  }

  /** Whether the caller may use the permission on this key (owner rule applied here). */
  async canOnKey(
    caller: Caller,
    permission: KeyPermission,
    key: KeyPermissionResource,
  ): Promise<boolean> {
    return (await this.keyFilter(caller, permission))(key);
  }

  /**
   * The caller's decision on the permission, asked once, as a test of any number of keys
   * (a list applies it to every owner instead of asking the policy per owner).
   */
  async keyFilter(
    caller: Caller,
    permission: KeyPermission,
  ): Promise<(key: KeyPermissionResource) => boolean> {
    const decision = await this.#keyDecision(caller, permission);
    return key => this.#keyAuthorizer(decision, key);
  }

  #keyDecision(
    caller: Caller,
    permission: KeyPermission,
  ): Promise<PolicyDecision> {
    return this.#decision(caller, permission, async () => {
      const [answer] = await this.permissions.authorizeConditional(
        [{ permission }],
        { credentials: caller.credentials },
      );
      return answer;
    });
  }

  /** The caller's decision on the permission: reused for a while, else `ask`ed. */
  async #decision(
    caller: Caller,
    permission: BasicPermission | KeyPermission,
    ask: () => Promise<PolicyDecision>,
  ): Promise<PolicyDecision> {
    const id = createHash('sha256')
      .update(
        [
          permission.name,
          caller.userRef,
          ...[...caller.ownershipRefs].sort(),
        ].join('\n'),
      )
      .digest('hex');
    const known = await this.#decisions.get(id);
    if (known) return known;
    // A failed question throws here and is not remembered: the next request asks again.
    const decision = await ask();
    await this.#decisions.set(id, decision);
    return decision;
  }
}
