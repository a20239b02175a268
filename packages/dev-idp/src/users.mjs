// The people of the development identity provider. Each one except `mallory` is a User of
// the example catalog (examples/org.yaml) with the same e-mail, so the portal's sign-in
// resolver finds them; `mallory` exists only here, to show what an unknown person sees.
// Development only: the passwords are printed on the login page.

/**
 * @typedef {object} DevUser
 * @property {string} username   the login name, also the OIDC `sub` and `preferred_username`
 * @property {string} password
 * @property {string} email
 * @property {string} name       display name (`name` claim)
 * @property {string} role       what the person is for, shown on the login page
 */

/** @type {DevUser[]} */
export const devUsers = [
  {
    username: 'alice',
    password: 'alice-dev-password',
    email: 'alice@example.com',
    name: 'Alice Admin',
    role: 'admin: platform-team administers LiteMaaS',
  },
  {
    username: 'bob',
    password: 'bob-dev-password',
    email: 'bob@example.com',
    name: 'Bob Builder',
    role: 'developer in payments',
  },
  {
    username: 'carol',
    password: 'carol-dev-password',
    email: 'carol@example.com',
    name: 'Carol Coder',
    role: 'developer in search',
  },
  {
    username: 'dave',
    password: 'dave-dev-password',
    email: 'dave@example.com',
    name: 'Dave Decider',
    role: 'approver: ml-research owns restricted models',
  },
  {
    username: 'mallory',
    password: 'mallory-dev-password',
    email: 'mallory@example.com',
    name: 'Mallory Unknown',
    role: 'not in the catalog: sign-in is refused',
  },
];
