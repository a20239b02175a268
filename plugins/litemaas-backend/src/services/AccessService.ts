import {
  BackstageCredentials,
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
 * Authorization of a resolved {@link Caller} (the routes resolve it from the request with
 * `RequestCallers`). Decisions come from the permission framework.
 */
export class AccessService {
  readonly #keyAuthorizer: (
    decision: PolicyDecision,
    resource: KeyPermissionResource | undefined,
  ) => boolean;

  constructor(
    private readonly permissions: PermissionsService,
    permissionsRegistry: PermissionsRegistryService,
  ) {
    this.#keyAuthorizer = createConditionAuthorizer(
      permissionsRegistry.getPermissionRuleset(litemaasKeyResourceRef),
    );
  }

  async isAllowed(caller: Caller, permission: BasicPermission) {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials: caller.credentials,
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
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials: caller.credentials },
    );
    return key => this.#keyAuthorizer(decision, key);
  }
}
