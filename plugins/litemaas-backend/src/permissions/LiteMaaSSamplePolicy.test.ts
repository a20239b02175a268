import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  litemaasAuditReadPermission,
  litemaasKeyCreatePermission,
  litemaasKeyDeletePermission,
  litemaasModelManagePermission,
} from '@litemaas/backstage-plugin-litemaas-common';
import { createPermission } from '@backstage/plugin-permission-common';
import { LiteMaaSSamplePolicy } from './LiteMaaSSamplePolicy';

describe('LiteMaaSSamplePolicy', () => {
  const admin = 'user:default/alice';
  const developer = 'user:default/bob';
  const groups: Record<string, string[]> = {
    [admin]: [admin, 'group:default/platform-team'],
    [developer]: [developer, 'group:default/payments'],
  };
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: groups[ref] };
    },
  });
  const policy = new LiteMaaSSamplePolicy(userInfo, [
    'group:default/platform-team',
  ]);
  const as = (ref: string) => ({
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: [] },
  });

  it('lets admin group members do everything in LiteMaaS', async () => {
    for (const permission of [
      litemaasModelManagePermission,
      litemaasAuditReadPermission,
      litemaasKeyDeletePermission,
    ]) {
      await expect(policy.handle({ permission }, as(admin))).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('denies LiteMaaS admin actions to everyone else', async () => {
    for (const permission of [
      litemaasModelManagePermission,
      litemaasAuditReadPermission,
    ]) {
      await expect(
        policy.handle({ permission }, as(developer)),
      ).resolves.toEqual({ result: AuthorizeResult.DENY });
    }
  });

  it('lets a developer create keys and manage only the keys they or their groups own', async () => {
    await expect(
      policy.handle({ permission: litemaasKeyCreatePermission }, as(developer)),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: litemaasKeyDeletePermission }, as(developer)),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'litemaas',
      resourceType: 'litemaas-key',
      conditions: {
        rule: 'IS_KEY_OWNER',
        resourceType: 'litemaas-key',
        params: { claims: [developer, 'group:default/payments'] },
      },
    });
  });

  it('denies LiteMaaS permissions to service principals and allows other plugins', async () => {
    await expect(
      policy.handle({ permission: litemaasKeyCreatePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    await expect(
      policy.handle({ permission: other }, as(developer)),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });
});
