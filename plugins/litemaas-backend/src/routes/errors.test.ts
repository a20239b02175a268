import { mockServices } from '@backstage/backend-test-utils';
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

  it('leaves every other error as it is', () => {
    const other = new Error('boom');
    expect(translate(other)).toBe(other);
  });
});
