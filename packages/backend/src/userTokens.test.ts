import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import guestProviderModule from '@backstage/plugin-auth-backend-module-guest-provider';
import Router from 'express-promise-router';
import request from 'supertest';

jest.setTimeout(120_000);

/** A route behind the default policy, as every LiteMaaS route but /health is. */
const probePlugin = createBackendPlugin({
  pluginId: 'probe',
  register(env) {
    env.registerInit({
      deps: {
        router: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ router, httpAuth }) {
        const routes = Router();
        routes.get('/me', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          res.json({ user: credentials.principal.userEntityRef });
        });
        router.use(routes);
      },
    });
  },
});

/**
 * The portal's real token handling (auth backend issuing, backend-defaults verifying):
 * a user token stops working when it expires. The clock moves forward through a fake
 * Date only, so the servers keep running on real timers.
 */
describe('Backstage user tokens', () => {
  afterEach(() => jest.useRealTimers());

  it('are refused with 401 once expired, and when tampered with', async () => {
    const backend = await startTestBackend({
      features: [
        authPlugin,
        guestProviderModule,
        probePlugin,
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              environment: 'development',
              providers: {
                guest: {
                  userEntityRef: 'user:default/guest',
                  dangerouslyAllowOutsideDevelopment: true,
                },
              },
            },
          },
        }),
      ],
    });
    try {
      const refresh = await request(backend.server)
        .get('/api/auth/guest/refresh?env=development')
        .set('X-Requested-With', 'XMLHttpRequest');
      expect(refresh.status).toBe(200);
      const token: string = refresh.body.backstageIdentity.token;

      const me = await request(backend.server)
        .get('/api/probe/me')
        .set('Authorization', `Bearer ${token}`);
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ user: 'user:default/guest' });

      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = Buffer.from(
        JSON.stringify({ ...claims, sub: 'user:default/alice' }),
      ).toString('base64url');
      const tampered = await request(backend.server)
        .get('/api/probe/me')
        .set('Authorization', `Bearer ${header}.${forged}.${signature}`);
      expect(tampered.status).toBe(401);

      // One second past the token's own expiry.
      jest.useFakeTimers({
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'requestAnimationFrame',
          'cancelAnimationFrame',
          'requestIdleCallback',
          'cancelIdleCallback',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
        now: (claims.exp + 1) * 1000,
      });
      const expired = await request(backend.server)
        .get('/api/probe/me')
        .set('Authorization', `Bearer ${token}`);
      expect(expired.status).toBe(401);
    } finally {
      jest.useRealTimers();
      await backend.stop();
    }
  });
});
