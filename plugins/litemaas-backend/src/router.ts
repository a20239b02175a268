import express from 'express';
import Router from 'express-promise-router';
import { LiteMaaSSettings } from './config';
import { AuditStore } from './database/AuditStore';
import { createAuditRoutes } from './routes/audit';
import { createKeyRoutes } from './routes/keys';
import { createModelRoutes } from './routes/models';
import { createRevealRoutes } from './routes/reveal';
import { createSubscriptionRoutes } from './routes/subscriptions';
import { createTeamRoutes } from './routes/teams';
import { createUsageRoutes } from './routes/usage';
import { createUserRoutes } from './routes/users';
import { AccessService } from './services/AccessService';
import { AuditService } from './services/AuditService';
import { HealthService } from './services/HealthService';
import { KeyAdminService } from './keys/KeyAdminService';
import { KeyRevealDelivery } from './keys/KeyRevealDelivery';
import { KeyService } from './keys/KeyService';
import { ModelService } from './services/ModelService';
import { RevealService } from './services/RevealService';
import { SubscriptionService } from './services/SubscriptionService';
import { TeamService } from './services/TeamService';
import { UsageService } from './services/UsageService';
import { UserAdminService } from './services/UserAdminService';
import { UserService } from './services/UserService';

export interface RouterOptions {
  health: HealthService;
  access: AccessService;
  audit: AuditService;
  users: UserService;
  settings: LiteMaaSSettings;
  auditStore: AuditStore;
  keys: KeyService;
  keyAdmin: KeyAdminService;
  models: ModelService;
  subscriptions: SubscriptionService;
  teams: TeamService;
  usage: UsageService;
  userAdmin: UserAdminService;
  /** One-time reveals; undefined when `litemaas.reveal.encryptionKey` is not set. */
  reveals: RevealService | undefined;
  revealDelivery: KeyRevealDelivery;
}

/**
 * The REST API under `/api/litemaas`. Each feature has its own router in `routes/`;
 * handlers stay thin: parse with the shared zod schemas, resolve the caller, delegate
 * to a service.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { health } = options;
  const router = Router();
  router.use(express.json({ limit: '100kb' }));

  router.get('/health', async (_req, res) => {
    const result = await health.check();
    res.status(result.status === 'ok' ? 200 : 503).json(result);
  });

  router.use(
    createAuditRoutes({
      access: options.access,
      auditStore: options.auditStore,
    }),
  );

  router.use(
    createModelRoutes({ access: options.access, models: options.models }),
  );
  router.use(
    createSubscriptionRoutes({
      access: options.access,
      subscriptions: options.subscriptions,
    }),
  );

  router.use(
    createKeyRoutes({
      access: options.access,
      keys: options.keys,
      keyAdmin: options.keyAdmin,
      settings: options.settings,
      revealDelivery: options.revealDelivery,
    }),
  );

  router.use(
    createRevealRoutes({
      access: options.access,
      audit: options.audit,
      reveals: options.reveals,
    }),
  );

  router.use(
    createTeamRoutes({ access: options.access, teams: options.teams }),
  );
  router.use(
    createUsageRoutes({ access: options.access, usage: options.usage }),
  );
  router.use(
    createUserRoutes({ access: options.access, userAdmin: options.userAdmin }),
  );

  return router;
}
