import { ServiceUnavailableError } from '@backstage/errors';
import { LiteMaaSRouter } from './LiteMaaSRouter';
import { RequestCallers } from './RequestCallers';
import { AuditService } from '../services/AuditService';
import { REVEAL_NOT_CONFIGURED } from '../keys/KeyRevealDelivery';
import { RevealService } from '../services/RevealService';

/**
 * `GET /reveal/:token`: the one-time reveal of a key secret minted on someone's behalf
 * (e.g. by a software template). 200 once, then 404; 404 for anyone else and after expiry.
 */
export function registerRevealRoutes(
  router: LiteMaaSRouter,
  options: {
    callers: RequestCallers;
    audit: AuditService;
    /** Undefined when no encryption key is configured: the route answers 503. */
    reveals: RevealService | undefined;
  },
): void {
  const { callers, audit, reveals } = options;

  router.get('/reveal/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const caller = await callers.caller(req);
    if (!reveals) {
      throw new ServiceUnavailableError(REVEAL_NOT_CONFIGURED);
    }
    const result = await audit.track(
      {
        actorRef: caller.userRef,
        action: 'key.reveal',
        targetType: 'key',
        // The audit event carries the URL; the token stays out of it.
        origin: callers.origin(
          Object.create(req, {
            originalUrl: { value: '/reveal/:token' },
            url: { value: '/reveal/:token' },
          }),
        ),
      },
      () => reveals.reveal(req.params.token, caller),
      revealed => ({ targetId: revealed.keyId }),
    );
    res.json({ keyId: result.keyId, secret: result.secret });
  });
}
