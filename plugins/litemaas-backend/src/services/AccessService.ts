import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  LITEMAAS_KEY_RESOURCE_TYPE,
  normalizeEntityRef,
} from '@litemaas/backstage-plugin-litemaas-common';
import { AnyRequest as Request } from './request';
import {
  KeyPermissionResource,
  litemaasKeyResourceRef,
} from '../permissions/rules';

/** The signed-in user behind a request, resolved once per request. */
export interface Caller {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  /** `user:default/alice`, normalised ({@link normalizeEntityRef}). */
  userRef: string;
  /** The user and the groups they belong to, from the catalog, normalised. */
  ownershipRefs: string[];
}

/** The caller as LiteMaaS stores and compares it: every ref normalised. */
function callerOf(
  credentials: BackstageCredentials<BackstageUserPrincipal>,
  info: { userEntityRef: string; ownershipEntityRefs: string[] },
): Caller {
  return {
    credentials,
    userRef: normalizeEntityRef(info.userEntityRef),
    ownershipRefs: [
      ...new Set(info.ownershipEntityRefs.map(normalizeEntityRef)),
    ],
  };
}

type KeyPermission = ResourcePermission<typeof LITEMAAS_KEY_RESOURCE_TYPE>;

/**
 * Identity and authorization for the routes. Only user tokens reach LiteMaaS data: a
 * service or external-access token cannot act on anyone's keys, and no query or body
 * parameter can name another caller. Decisions come from the permission framework.
 */
export class AccessService {
  readonly #keyAuthorizer: (
    decision: PolicyDecision,
    resource: KeyPermissionResource | undefined,
  ) => boolean;

  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly userInfo: UserInfoService,
    private readonly permissions: PermissionsService,
    permissionsRegistry: PermissionsRegistryService,
  ) {
    this.#keyAuthorizer = createConditionAuthorizer(
      permissionsRegistry.getPermissionRuleset(litemaasKeyResourceRef),
    );
  }

  async caller(req: Request): Promise<Caller> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['user'],
    });
    return callerOf(credentials, await this.userInfo.getUserInfo(credentials));
  }

  /**
   * For routes that are not about anyone's data (the model list): a user gets their
   * Caller, another plugin (e.g. the catalog module) with a service token gets undefined.
   */
  async callerOrService(req: Request): Promise<Caller | undefined> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type !== 'user') {
      return undefined;
    }
    return callerOf(
      credentials as BackstageCredentials<BackstageUserPrincipal>,
      await this.userInfo.getUserInfo(credentials),
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
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials: caller.credentials },
    );
    return this.#keyAuthorizer(decision, key);
  }
}
