import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TEST_USERS } from './users';

/**
 * The groups of {@link TEST_USERS} as catalog `Group` entities with their members
 * (`hasMember`), so LiteMaaS can enable them as teams.
 *
 * @public
 */
export function testOrganizationGroups(): Entity[] {
  const members = new Map<string, string[]>();
  for (const [user, groups] of Object.entries(TEST_USERS)) {
    for (const group of groups) {
      members.set(group, [...(members.get(group) ?? []), user]);
    }
  }
  return [...members].map(([ref, users]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: ref.split('/')[1], namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: users.map(targetRef => ({ type: 'hasMember', targetRef })),
  }));
}

/**
 * A catalog holding the test organization's groups and `entities`, for the `features`
 * of the test backend.
 *
 * @public
 */
export function testCatalog(entities: Entity[] = []) {
  return catalogServiceMock.factory({
    entities: [...testOrganizationGroups(), ...entities],
  });
}
