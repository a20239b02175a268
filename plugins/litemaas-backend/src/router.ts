import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import { LiteMaaSSettings } from './config';
import { AuditStore } from './database/AuditStore';
import { registerAuditRoutes } from './routes/audit';
import { translateRouteErrors } from './routes/errors';
import { RequestCallers } from './routes/RequestCallers';
import { registerKeyRoutes } from './routes/keys';
import { registerModelRoutes } from './routes/models';
import { registerRevealRoutes } from './routes/reveal';
import { registerSubscriptionRoutes } from './routes/subscriptions';
import { registerTeamRoutes } from './routes/teams';
import { registerUsageRoutes } from './routes/usage';
import { registerUserRoutes } from './routes/users';
import { createOpenApiRouter } from './schema/openapi/generated/router';
import { AccessService } from './services/AccessService';
import { AuditService } from './services/AuditService';
import { HealthService } from './services/HealthService';
import { KeyAdminService } from './keys/KeyAdminService';
import { KeyIdempotency } from './keys/KeyIdempotency';
import { KeyRevealDelivery } from './keys/KeyRevealDelivery';
import { KeyService } from './keys/KeyService';
import { ModelService } from './services/ModelService';
import { RevealService } from './services/RevealService';
import { SubscriptionService } from './services/SubscriptionService';
import { TeamService } from './teams';
import { UsageReportService, UsageSyncService } from './usage';
import { UserAdminService } from './services/UserAdminService';
import { UserService } from './services/UserService';

export interface RouterOptions {
  health: HealthService;
  access: AccessService;
  /** Resolves the caller of each request (routes only). */
  callers: RequestCallers;
  audit: AuditService;
  users: UserService;
  settings: LiteMaaSSettings;
  auditStore: AuditStore;
  keys: KeyService;
  keyAdmin: KeyAdminService;
  models: ModelService;
  subscriptions: SubscriptionService;
  teams: TeamService;
  usageSync: UsageSyncService;
  usageReports: UsageReportService;
  userAdmin: UserAdminService;
  /** One-time reveals; undefined when `litemaas.reveal.encryptionKey` is not set. */
  reveals: RevealService | undefined;
  revealDelivery: KeyRevealDelivery;
  /** `Idempotency-Key` of `POST /keys`. */
  idempotency: KeyIdempotency;
  logger: LoggerService;
}

/**
 * The REST API under `/api/litemaas`, built from the OpenAPI spec
 * (`src/schema/openapi.yaml`): requests are checked against it before any handler runs.
 * Each feature registers its routes from `routes/`; handlers stay thin: parse business
 * rules with the shared zod schemas, resolve the caller, delegate to a service.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { health, access, callers } = options;
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '100kb' })],
  });

  router.get('/health', async (_req, res) => {
    const result = await health.check();
    res.status(result.status === 'ok' ? 200 : 503).json(result);
  });

  registerAuditRoutes(router, {
    access,
    callers,
    auditStore: options.auditStore,
  });
  registerModelRoutes(router, { access, callers, models: options.models });
  registerSubscriptionRoutes(router, {
    callers,
    subscriptions: options.subscriptions,
  });
  registerKeyRoutes(router, {
    callers,
    keys: options.keys,
    keyAdmin: options.keyAdmin,
    settings: options.settings,
    revealDelivery: options.revealDelivery,
    idempotency: options.idempotency,
  });
  registerRevealRoutes(router, {
    callers,
    audit: options.audit,
    reveals: options.reveals,
  });
  registerTeamRoutes(router, { callers, teams: options.teams });
  registerUsageRoutes(router, {
    callers,
    sync: options.usageSync,
    reports: options.usageReports,
  });
  registerUserRoutes(router, { callers, userAdmin: options.userAdmin });
  // Last: errors the handlers threw, on their way to Backstage's error handler.
  router.use(translateRouteErrors(options.logger));

  return router;
}
