// A development OpenID Connect provider on `oidc-provider`: discovery, authorization code
// with PKCE (required), refresh tokens, ID tokens signed with a per-process RSA key, and a
// login form of its own. The portal talks to it exactly as it talks to Keycloak, Entra ID
// or Okta in production.
import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';
import { devUsers } from './users.mjs';
import { renderLoginPage } from './loginPage.mjs';

/** The portal's client: Backstage's `oidc` auth provider (app-config.yaml). */
export const portalClient = {
  clientId: 'litemaas-portal',
  clientSecret: 'dev-idp-portal-secret',
  /** Backstage's callback on the development and the e2e backend. */
  redirectUris: [
    'http://localhost:7007/api/auth/oidc/handler/frame',
    'http://localhost:7107/api/auth/oidc/handler/frame',
  ],
};

/**
 * @typedef {object} DevIdpOptions
 * @property {number} [port]          0 picks a free port; default 7300
 * @property {string} [issuer]        default http://localhost:<port>
 * @property {Array<{clientId: string, clientSecret: string, redirectUris: string[]}>} [clients]
 * @property {import('./users.mjs').DevUser[]} [users]
 * @property {boolean} [showUsers]    list users and passwords on the login page (development)
 * @property {{ accessToken?: number, idToken?: number, refreshToken?: number }} [ttlSeconds]
 */

/**
 * Starts the provider and resolves once it listens.
 * @param {DevIdpOptions} [options]
 */
export async function startDevIdp(options = {}) {
  const users = options.users ?? devUsers;
  const clients = options.clients ?? [portalClient];
  const showUsers = options.showUsers ?? true;
  const ttl = options.ttlSeconds ?? {};

  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7300, 'localhost', resolve);
  });
  const port = /** @type {import('node:net').AddressInfo} */ (server.address())
    .port;
  const issuer = options.issuer ?? `http://localhost:${port}`;

  const byUsername = new Map(users.map(u => [u.username, u]));
  const signingKey = {
    ...crypto
      .generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'jwk' }),
    kid: crypto.randomUUID(),
    use: 'sig',
    alg: 'RS256',
  };

  const provider = new Provider(issuer, {
    clients: clients.map(c => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    // The ID token carries the profile too, not only the userinfo endpoint.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const user = byUsername.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: user.email,
          email_verified: true,
          name: user.name,
          preferred_username: user.username,
        }),
      };
    },
    // The portal's client is first-party: it gets every scope it asks for without a
    // consent screen, and a refresh token without `offline_access` (as Keycloak does).
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      const existing = session.grantIdFor(client.clientId);
      if (existing) {
        const grant = await ctx.oidc.provider.Grant.find(existing);
        if (grant) return grant;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope);
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    issueRefreshToken: async (_ctx, client) =>
      client.grantTypeAllowed('refresh_token'),
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: ttl.accessToken ?? 3600,
      IdToken: ttl.idToken ?? 3600,
      RefreshToken: ttl.refreshToken ?? 14 * 24 * 3600,
      AuthorizationCode: 60,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
  });
  const providerCallback = provider.callback();

  server.on('request', (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(
      new URL(req.url ?? '/', issuer).pathname,
    );
    if (!match) {
      providerCallback(req, res);
      return;
    }
    handleInteraction(req, res, match[2] === '/login').catch(error => {
      // An unknown or expired interaction: say so instead of a stack trace.
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Sign-in failed: ${error.message}. Start again from the portal.`);
    });
  });

  async function handleInteraction(req, res, submitted) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== 'login') {
      // Consent is granted by loadExistingGrant; nothing else to ask.
      await provider.interactionFinished(
        req,
        res,
        {},
        {
          mergeWithLastSubmission: true,
        },
      );
      return;
    }
    const page = {
      action: `/interaction/${details.uid}/login`,
      users,
      showUsers,
    };
    if (!submitted || req.method !== 'POST') {
      sendHtml(res, 200, renderLoginPage(page));
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const user = byUsername.get(form.get('username') ?? '');
    if (!user || !safeEqual(user.password, form.get('password') ?? '')) {
      sendHtml(
        res,
        401,
        renderLoginPage({
          ...page,
          username: form.get('username') ?? '',
          error: 'Unknown username or wrong password.',
        }),
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.username } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    port,
    provider,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function sendHtml(res, status, html) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(html);
}

async function readBody(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('the form is too large');
  }
  return body;
}
