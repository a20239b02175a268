/** The group whose members administer LiteMaaS in the test organization. @public */
export const ADMIN_GROUP = 'group:default/platform-team';
/** An admin. @public */
export const ALICE = 'user:default/alice';
/** A member of the payments team. @public */
export const BOB = 'user:default/bob';
/** Another member of the payments team. @public */
export const CAROL = 'user:default/carol';
/** Someone outside every team that matters. @public */
export const MALLORY = 'user:default/mallory';
/** The payments team. @public */
export const PAYMENTS = 'group:default/payments';
/** Mallory's group. @public */
export const OUTSIDERS = 'group:default/outsiders';

/**
 * The people of the test organization and the groups they belong to, as the test
 * backend's user info service resolves them. Tests may change an entry for a while
 * (e.g. someone leaves a group) and put it back afterwards.
 *
 * @public
 */
export const TEST_USERS: Record<string, string[]> = {
  [ALICE]: [ADMIN_GROUP],
  [BOB]: [PAYMENTS],
  [CAROL]: [PAYMENTS],
  [MALLORY]: [OUTSIDERS],
};
