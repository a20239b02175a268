import { mockServices } from '@backstage/backend-test-utils';
import crossFetch from 'cross-fetch';
import net from 'node:net';
import { isDatabaseUnavailable } from '../database/errors';
import { LiteLLMUnavailableError } from '../litellm';
import { DATABASE_UNAVAILABLE, translateRouteErrors } from './errors';

/** What the translator hands on to Backstage's error handler. */
function translate(error: unknown) {
  let forwarded: unknown;
  translateRouteErrors(mockServices.logger.mock())(
    error,
    { method: 'POST', path: '/admin/teams' } as any,
    {} as any,
    e => {
      forwarded = e;
    },
  );
  return forwarded as Error & { status?: number };
}

describe('translateRouteErrors', () => {
  it('makes a LiteLLM error that reached a route a 503, whatever status LiteLLM sent', () => {
    // An answer cut off half-way: LiteLLM had sent 200 before the connection went.
    const cut = new LiteLLMUnavailableError({
      method: 'POST',
      path: '/team/member_add',
      status: 200,
      reason: 'network',
      detail: 'terminated',
    });
    const routed = translate(cut);
    expect(routed.name).toBe('ServiceUnavailableError');
    expect(routed.status).toBeUndefined();
    expect(routed.message).toMatch(/^The LiteLLM proxy is unavailable/);
  });

  it('makes a lost database connection a 503 that names no query', () => {
    const lost = Object.assign(
      new Error(
        'update "litemaas_keys" set "status" = $1 - terminating connection due to administrator command',
      ),
      { code: '57P01' },
    );
    const routed = translate(lost);
    expect(routed.name).toBe('ServiceUnavailableError');
    expect(routed.message).toBe(DATABASE_UNAVAILABLE);
  });

  it('makes an unreachable Backstage service a 503 naming it, not the database', async () => {
    // What Backstage's permission client throws when the permission backend is away:
    // cross-fetch (node-fetch) calling a port nobody listens on.
    const port = await new Promise<number>(resolve => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as net.AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const refused = await crossFetch(
      `http://127.0.0.1:${port}/api/permission/authorize`,
      { method: 'POST' },
    ).catch(e => e);
    expect(refused).toMatchObject({ name: 'FetchError', code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(refused)).toBe(false);

    const routed = translate(refused);
    expect(routed.name).toBe('ServiceUnavailableError');
    expect(routed.message).toBe(
      'The Backstage permission service is unavailable; try again later',
    );
    expect(routed.message).not.toBe(DATABASE_UNAVAILABLE);
  });

  it('leaves every other error as it is', () => {
    const other = new Error('boom');
    expect(translate(other)).toBe(other);
  });
});
