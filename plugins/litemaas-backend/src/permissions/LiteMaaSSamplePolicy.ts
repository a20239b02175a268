import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  LITEMAAS_KEY_RESOURCE_TYPE,
  litemaasKeyCreatePermission,
} from '@litemaas/backstage-plugin-litemaas-common';
import {
  createLitemaasKeyConditionalDecision,
  litemaasKeyConditions,
} from './rules';

/**
 * A sample policy for LiteMaaS, used by the portal and the tests. Members of the admin groups may do everything in LiteMaaS;
 * everyone else may create keys and manage the keys they own (directly, or through a
 * group they belong to); LiteMaaS admin actions are denied to them. Permissions of other
 * plugins are allowed, as in the default allow-all policy.
 */
/** @public */
export class LiteMaaSSamplePolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly adminGroupRefs: string[],
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('litemaas.')) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      // Service principals never act on LiteMaaS resources through permissions.
      return { result: AuthorizeResult.DENY };
    }
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    if (ownershipEntityRefs.some(ref => this.adminGroupRefs.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (permission.name === litemaasKeyCreatePermission.name) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(permission, LITEMAAS_KEY_RESOURCE_TYPE)) {
      return createLitemaasKeyConditionalDecision(
        permission,
        litemaasKeyConditions.isKeyOwner({ claims: ownershipEntityRefs }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
