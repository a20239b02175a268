import { z } from 'zod/v3';

/**
 * Shape of `GET /api/litemaas/health`, the only unauthenticated route.
 *
 * @public
 */
export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['ok', 'unavailable']),
});

/** @public */
export type HealthResponse = z.infer<typeof healthResponseSchema>;
