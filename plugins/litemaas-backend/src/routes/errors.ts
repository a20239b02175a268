import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';
import { isDatabaseUnavailable } from '../database/errors';
import { unreachableService } from '../services/unreachableService';
import { LiteLLMError, toBackstageError } from '../litellm';

/** The answer to a request the database could not serve (503). */
export const DATABASE_UNAVAILABLE =
  'The LiteMaaS database is unavailable; try again later';

/**
 * The router's last error handler, before Backstage's own:
 * - a LiteLLM error that no service converted becomes the route error of
 *   {@link toBackstageError}: LiteLLM's own status (a 500, or the 200 of an answer cut
 *   off half-way) never becomes the status of the answer;
 * - a lost database connection (a PostgreSQL restart, a refused connection, a full pool)
 *   becomes a 503 that names no query, instead of Backstage's "internal error" 500. Its
 *   cause is logged, not sent: knex puts the SQL in the message;
 * - a Backstage service that could not be reached (the permission or catalog backend
 *   restarting) becomes a 503 that says which one, not a 500, and never the database's.
 */
export function translateRouteErrors(
  logger: LoggerService,
): ErrorRequestHandler {
  return (error, req, _res, next) => {
    if (error instanceof LiteLLMError) {
      logger.warn('A LiteLLM error reached a route unconverted', {
        route: `${req.method} ${req.path}`,
        error: error.message,
      });
      next(toBackstageError(error));
      return;
    }
    if (isDatabaseUnavailable(error)) {
      logger.error('A request failed: the LiteMaaS database is unavailable', {
        route: `${req.method} ${req.path}`,
        error: error instanceof Error ? error.message : String(error),
      });
      next(new ServiceUnavailableError(DATABASE_UNAVAILABLE));
      return;
    }
    const service = unreachableService(error);
    if (service !== undefined) {
      logger.error('A request failed: a Backstage service is unreachable', {
        route: `${req.method} ${req.path}`,
        service,
        error: (error as Error).message,
      });
      next(
        new ServiceUnavailableError(
          service
            ? `The Backstage ${service} service is unavailable; try again later`
            : 'A Backstage service LiteMaaS needs is unavailable; try again later',
        ),
      );
      return;
    }
    next(error);
  };
}
