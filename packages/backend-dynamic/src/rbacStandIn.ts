import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PermissionCondition,
  PermissionCriteria,
  PermissionRuleParams,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

type Criteria = PermissionCriteria<PermissionCondition<string>>;

/** One `p, role, permission or resource type, action, effect` line of the policy CSV. */
interface PolicyLine {
  role: string;
  permission: string;
  action: string;
  effect: string;
}

/** One document of the conditional policies file. */
interface ConditionalPolicy {
  roleEntityRef: string;
  pluginId: string;
  resourceType: string;
  permissionMapping: string[];
  conditions: Criteria;
}

/**
 * Answers LiteMaaS's permissions as RHDH's RBAC backend would from the same two files,
 * `permission.rbac.policies-csv-file` (`g` lines give roles to users and groups, `p` lines
 * allow or deny a permission, or every permission of a resource type, for an action) and
 * `permission.rbac.conditionalPoliciesFile` (conditions on a resource type's permissions,
 * with the `$currentUser` and `$ownerRefs` aliases). The RBAC backend itself cannot run
 * next to Backstage 1.57 here (no release of it built for this Backstage is on the
 * registry), so this reads its files the way its documentation describes; permissions of
 * other plugins are allowed. docs/deployment/rhdh.md says what that leaves untested.
 */
export class RbacStandInPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly members: Array<{ member: string; role: string }>,
    private readonly policies: PolicyLine[],
    private readonly conditional: ConditionalPolicy[],
  ) {}

  static fromFiles(
    userInfo: UserInfoService,
    csvFile: string,
    conditionalFile: string,
  ) {
    const rows = readFileSync(csvFile, 'utf8')
      .split('\n')
      .map(line => line.split(',').map(cell => cell.trim()))
      .filter(cells => cells[0] === 'g' || cells[0] === 'p');
    const members = rows
      .filter(cells => cells[0] === 'g')
      .map(([, member, role]) => ({ member, role }));
    const policies = rows
      .filter(cells => cells[0] === 'p')
      .map(([, role, permission, action, effect]) => ({
        role,
        permission,
        action,
        effect,
      }));
    const conditional = parseAllDocuments(readFileSync(conditionalFile, 'utf8'))
      .map(doc => doc.toJS() as ConditionalPolicy | null)
      .filter((doc): doc is ConditionalPolicy => Boolean(doc));
    return new RbacStandInPolicy(userInfo, members, policies, conditional);
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('litemaas.')) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const { userEntityRef, ownershipEntityRefs } =
      await this.userInfo.getUserInfo(user.credentials);
    const roles = new Set(
      this.members
        .filter(m => ownershipEntityRefs.includes(m.member))
        .map(m => m.role),
    );
    const action = permission.attributes.action ?? 'use';
    const resourceType = isResourcePermission(permission)
      ? permission.resourceType
      : undefined;
    const lines = this.policies.filter(
      p =>
        roles.has(p.role) &&
        p.action === action &&
        (p.permission === permission.name || p.permission === resourceType),
    );
    if (lines.some(p => p.effect === 'deny')) {
      return { result: AuthorizeResult.DENY };
    }
    if (lines.some(p => p.effect === 'allow')) {
      return { result: AuthorizeResult.ALLOW };
    }
    const conditions = this.conditional.filter(
      c =>
        roles.has(c.roleEntityRef) &&
        c.resourceType === resourceType &&
        c.permissionMapping.includes(action),
    );
    if (!resourceType || conditions.length === 0) {
      return { result: AuthorizeResult.DENY };
    }
    const resolve = (criteria: Criteria): Criteria =>
      resolveAliases(criteria, userEntityRef, ownershipEntityRefs);
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: conditions[0].pluginId,
      resourceType,
      conditions:
        conditions.length === 1
          ? resolve(conditions[0].conditions)
          : {
              anyOf: conditions.map(c => resolve(c.conditions)) as [
                Criteria,
                ...Criteria[],
              ],
            },
    };
  }
}

/** `$currentUser` becomes the user's ref, `$ownerRefs` their ownership refs. */
function resolveAliases(
  criteria: Criteria,
  userRef: string,
  ownerRefs: string[],
): Criteria {
  if ('allOf' in criteria) {
    return {
      allOf: criteria.allOf.map(c => resolveAliases(c, userRef, ownerRefs)) as [
        Criteria,
        ...Criteria[],
      ],
    };
  }
  if ('anyOf' in criteria) {
    return {
      anyOf: criteria.anyOf.map(c => resolveAliases(c, userRef, ownerRefs)) as [
        Criteria,
        ...Criteria[],
      ],
    };
  }
  if ('not' in criteria) {
    return { not: resolveAliases(criteria.not, userRef, ownerRefs) };
  }
  const value = (v: unknown): unknown => {
    if (v === '$currentUser') return userRef;
    if (Array.isArray(v)) {
      return v.flatMap(x => (x === '$ownerRefs' ? ownerRefs : [value(x)]));
    }
    return v === '$ownerRefs' ? ownerRefs : v;
  };
  const params = Object.fromEntries(
    Object.entries(criteria.params ?? {}).map(([k, v]) => [k, value(v)]),
  ) as PermissionRuleParams;
  return { ...criteria, params };
}

/** Installs {@link RbacStandInPolicy} with the files of `permission.rbac`. */
export const permissionModuleRbacStandIn = createBackendModule({
  pluginId: 'permission',
  moduleId: 'rbac-stand-in',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        policy.setPolicy(
          RbacStandInPolicy.fromFiles(
            userInfo,
            config.getString('permission.rbac.policies-csv-file'),
            config.getString('permission.rbac.conditionalPoliciesFile'),
          ),
        );
      },
    });
  },
});
