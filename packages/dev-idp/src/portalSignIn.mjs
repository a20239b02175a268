// Signs in to the portal without a browser, through the same OpenID Connect flow a browser
// goes through: the backend's /api/auth/oidc/start redirects to the provider, the
// provider's login form takes the username and password, the provider redirects back with
// a code (PKCE and state checked by the backend), and the backend's handler answers with
// the Backstage identity, whose token is a user token for the REST API.

import { CookieJar, browse } from './browse.mjs';

/**
 * Runs the portal's OIDC sign-in for `username` and returns the Backstage identity.
 * @param {{ backendUrl: string, username: string, password: string,
 *   environment?: string }} options
 * @returns {Promise<{ token: string, userEntityRef: string, ownershipEntityRefs: string[] }>}
 */
export async function signInToPortal({
  backendUrl,
  username,
  password,
  environment = 'development',
}) {
  const jar = new CookieJar();
  const start = new URL(`${backendUrl}/api/auth/oidc/start`);
  start.searchParams.set('env', environment);
  start.searchParams.set('scope', 'openid profile email');
  start.searchParams.set('flow', 'popup');

  const login = await browse(jar, start.href);
  const action = /<form method="post" action="([^"]+)"/.exec(login.body)?.[1];
  if (!action) {
    throw new Error(
      `Expected the identity provider's login form at ${login.url}, got HTTP ${
        login.response.status
      }: ${login.body.slice(0, 300)}`,
    );
  }
  const done = await browse(jar, new URL(action, login.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (done.response.status === 401) {
    throw new Error(`The identity provider refused ${username}'s password`);
  }
  const encoded = /var authResponse = decodeURIComponent\('([^']*)'\)/.exec(
    done.body,
  )?.[1];
  if (!encoded) {
    throw new Error(
      `Expected the portal's sign-in answer at ${done.url}, got HTTP ${
        done.response.status
      }: ${done.body.slice(0, 300)}`,
    );
  }
  const answer = JSON.parse(decodeURIComponent(encoded));
  if (answer.error) {
    throw new Error(`The portal refused ${username}: ${answer.error.message}`);
  }
  const identity = answer.response.backstageIdentity;
  return {
    token: identity.token,
    userEntityRef: identity.identity.userEntityRef,
    ownershipEntityRefs: identity.identity.ownershipEntityRefs,
  };
}
