import { LoggerService } from '@backstage/backend-plugin-api';
import { HealthResponse } from '@litemaas/backstage-plugin-litemaas-common';
import { Knex } from 'knex';

/** Answers `GET /health`: the backend is up, and says whether its database answers. */
export class HealthService {
  constructor(
    private readonly db: Knex,
    private readonly logger: LoggerService,
  ) {}

  async check(): Promise<HealthResponse> {
    try {
      await this.db.raw('select 1');
      return { status: 'ok', database: 'ok' };
    } catch (error) {
      this.logger.warn('LiteMaaS health check: database unavailable', {
        error: error instanceof Error ? error.message : String(error),
      });
      return { status: 'degraded', database: 'unavailable' };
    }
  }
}
