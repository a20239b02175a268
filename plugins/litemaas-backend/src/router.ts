import express from 'express';
import Router from 'express-promise-router';
import { HealthService } from './services/HealthService';

export interface RouterOptions {
  health: HealthService;
}

/** The REST API under `/api/litemaas`. Handlers stay thin: parse, authorize, delegate. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { health } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    const result = await health.check();
    res.status(result.status === 'ok' ? 200 : 503).json(result);
  });

  return router;
}
