// The development identity provider is a real OpenID Connect server: these tests act as a
// relying party over HTTP, the way Backstage's oidc provider (openid-client) does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startDevIdp } from './idp.mjs';
import { CookieJar, browse } from './browse.mjs';

const client = {
  clientId: 'test-client',
  clientSecret: 'test-secret',
  redirectUris: ['http://localhost:9/callback'],
};
const redirectUri = client.redirectUris[0];
const basic = `Basic ${Buffer.from(
  `${client.clientId}:${client.clientSecret}`,
).toString('base64')}`;

const b64url = buffer => Buffer.from(buffer).toString('base64url');

let idp;
let discovery;

before(async () => {
  idp = await startDevIdp({ port: 0, clients: [client] });
  discovery = await (
    await fetch(`${idp.issuer}/.well-known/openid-configuration`)
  ).json();
});
after(() => idp.close());

/** Starts an authorization request and returns the login page it leads to. */
async function startAuthorization({ pkce = true, verifier, state, nonce }) {
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email',
    state,
    nonce,
    ...(pkce && {
      code_challenge: b64url(
        crypto.createHash('sha256').update(verifier).digest(),
      ),
      code_challenge_method: 'S256',
    }),
  }).toString();
  const jar = new CookieJar();
  return { jar, page: await browse(jar, url.href) };
}

/** Signs in on the login page and returns where the provider sent the browser back. */
async function submitLogin(jar, page, username, password) {
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)[1];
  let current = new URL(action, page.url).href;
  let init = {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: jar.header(current),
    },
    body: new URLSearchParams({ username, password }).toString(),
  };
  // Follow the provider's redirects until it hands back to the client.
  for (;;) {
    const res = await fetch(current, { ...init, redirect: 'manual' });
    jar.store(current, res);
    const location = res.headers.get('location');
    if (!location) return { status: res.status, body: await res.text() };
    const next = new URL(location, current);
    if (next.href.startsWith(redirectUri)) return { callback: next };
    current = next.href;
    init = { headers: { cookie: jar.header(current) } };
  }
}

async function token(params) {
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: basic,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.json() };
}

/** Verifies an RS256 JWT against the provider's published keys. */
async function verifyIdToken(jwt) {
  const [header, payload, signature] = jwt.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url'));
  const { keys } = await (await fetch(discovery.jwks_uri)).json();
  const jwk = keys.find(k => k.kid === kid);
  assert.ok(jwk, `no published key has kid ${kid}`);
  assert.equal(alg, 'RS256');
  const valid = crypto.verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    crypto.createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(signature, 'base64url'),
  );
  return { valid, claims: JSON.parse(Buffer.from(payload, 'base64url')) };
}

/** The whole code flow with PKCE for `username`; returns the token response. */
async function codeFlow(username, password) {
  const verifier = b64url(crypto.randomBytes(32));
  const state = b64url(crypto.randomBytes(8));
  const nonce = b64url(crypto.randomBytes(8));
  const { jar, page } = await startAuthorization({ verifier, state, nonce });
  const { callback } = await submitLogin(jar, page, username, password);
  assert.equal(callback.searchParams.get('state'), state);
  const code = callback.searchParams.get('code');
  assert.ok(code, `no code in ${callback}`);
  const tokens = await token({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  return { tokens, nonce, code, verifier };
}

describe('development identity provider', () => {
  it('publishes its discovery document with code flow, PKCE and refresh', () => {
    assert.equal(discovery.issuer, idp.issuer);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    assert.ok(discovery.grant_types_supported.includes('authorization_code'));
    assert.ok(discovery.grant_types_supported.includes('refresh_token'));
    assert.ok(discovery.response_types_supported.includes('code'));
    assert.ok(
      discovery.id_token_signing_alg_values_supported.includes('RS256'),
    );
    for (const endpoint of [
      'authorization_endpoint',
      'token_endpoint',
      'userinfo_endpoint',
      'jwks_uri',
    ]) {
      assert.ok(discovery[endpoint].startsWith(idp.issuer), endpoint);
    }
  });

  it('signs a user in with the code flow and PKCE, and returns signed tokens', async () => {
    const { tokens, nonce } = await codeFlow('bob', 'bob-dev-password');
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.ok(tokens.body.access_token);
    assert.ok(tokens.body.refresh_token);
    const { valid, claims } = await verifyIdToken(tokens.body.id_token);
    assert.equal(valid, true);
    assert.equal(claims.iss, idp.issuer);
    assert.equal(claims.aud, client.clientId);
    assert.equal(claims.sub, 'bob');
    assert.equal(claims.nonce, nonce);
    assert.equal(claims.email, 'bob@example.com');
    assert.equal(claims.email_verified, true);
    assert.ok(claims.exp > Math.floor(Date.now() / 1000));

    const userinfo = await (
      await fetch(discovery.userinfo_endpoint, {
        headers: { authorization: `Bearer ${tokens.body.access_token}` },
      })
    ).json();
    assert.deepEqual(
      { sub: userinfo.sub, email: userinfo.email, name: userinfo.name },
      { sub: 'bob', email: 'bob@example.com', name: 'Bob Builder' },
    );
  });

  it('rejects an ID token whose payload was changed', async () => {
    const { tokens } = await codeFlow('carol', 'carol-dev-password');
    const [header, payload, signature] = tokens.body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    const forged = b64url(JSON.stringify({ ...claims, sub: 'alice' }));
    const { valid } = await verifyIdToken(`${header}.${forged}.${signature}`);
    assert.equal(valid, false);
  });

  it('refuses an authorization request without a PKCE challenge', async () => {
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: 'xyz',
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location'));
    assert.ok(location.href.startsWith(redirectUri));
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.match(location.searchParams.get('error_description'), /PKCE/i);
  });

  it('refuses a code with the wrong PKCE verifier, and a code redeemed twice', async () => {
    const verifier = b64url(crypto.randomBytes(32));
    const { jar, page } = await startAuthorization({
      verifier,
      state: 's',
      nonce: 'n',
    });
    const { callback } = await submitLogin(
      jar,
      page,
      'bob',
      'bob-dev-password',
    );
    const code = callback.searchParams.get('code');
    const wrong = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: b64url(crypto.randomBytes(32)),
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    const right = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    assert.equal(right.status, 200, JSON.stringify(right.body));
    const again = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  });

  it('refreshes tokens with the refresh token, and refuses a made-up one', async () => {
    const { tokens } = await codeFlow('dave', 'dave-dev-password');
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.notEqual(refreshed.body.access_token, tokens.body.access_token);
    const { valid, claims } = await verifyIdToken(refreshed.body.id_token);
    assert.equal(valid, true);
    assert.equal(claims.sub, 'dave');

    const bogus = await token({
      grant_type: 'refresh_token',
      refresh_token: 'not-a-refresh-token',
    });
    assert.equal(bogus.status, 400);
    assert.equal(bogus.body.error, 'invalid_grant');
  });

  it('refuses a wrong password on its login form and signs nobody in', async () => {
    const { jar, page } = await startAuthorization({
      verifier: b64url(crypto.randomBytes(32)),
      state: 's',
      nonce: 'n',
    });
    const result = await submitLogin(jar, page, 'alice', 'not-her-password');
    assert.equal(result.status, 401);
    assert.equal(result.callback, undefined);
    assert.match(result.body, /Unknown username or wrong password/);
  });

  it('lists the development users and passwords on its login page', async () => {
    const { page } = await startAuthorization({
      verifier: b64url(crypto.randomBytes(32)),
      state: 's',
      nonce: 'n',
    });
    assert.equal(page.response.status, 200);
    for (const [user, password] of [
      ['alice', 'alice-dev-password'],
      ['bob', 'bob-dev-password'],
      ['carol', 'carol-dev-password'],
      ['dave', 'dave-dev-password'],
    ]) {
      assert.match(
        page.body,
        new RegExp(`<td>${user}</td><td><code>${password}`),
      );
    }
  });
});

describe('development identity provider without the user list', () => {
  it('shows only the form', async () => {
    const quiet = await startDevIdp({
      port: 0,
      clients: [client],
      showUsers: false,
    });
    try {
      const jar = new CookieJar();
      const url = new URL(`${quiet.issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: client.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid',
        code_challenge: b64url(crypto.randomBytes(32)),
        code_challenge_method: 'S256',
      }).toString();
      const page = await browse(jar, url.href);
      assert.equal(page.response.status, 200);
      assert.match(page.body, /<form method="post"/);
      assert.doesNotMatch(page.body, /dev-password/);
    } finally {
      await quiet.close();
    }
  });
});
