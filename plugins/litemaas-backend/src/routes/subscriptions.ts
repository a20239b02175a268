import {
  approveSubscriptionRequestSchema,
  createSubscriptionRequestSchema,
  denySubscriptionRequestSchema,
  listSubscriptionsQuerySchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSRouter } from './LiteMaaSRouter';
import { RequestCallers } from './RequestCallers';
import { z } from 'zod/v3';
import { SubscriptionService } from '../services/SubscriptionService';
import { parseInput } from './parse';

const subscriptionIdSchema = z.string().uuid('subscription id must be a UUID');

/** Subscription routes: self-service under `/subscriptions`, decisions under `/admin`. */
export function registerSubscriptionRoutes(
  router: LiteMaaSRouter,
  options: {
    callers: RequestCallers;
    subscriptions: SubscriptionService;
  },
): void {
  const { callers, subscriptions } = options;

  router.get('/subscriptions', async (req, res) => {
    const caller = await callers.caller(req);
    const items = await subscriptions.listMine(caller);
    res.json({ items, total: items.length });
  });

  router.post('/subscriptions', async (req, res) => {
    const caller = await callers.caller(req);
    const body = parseInput(
      createSubscriptionRequestSchema,
      req.body,
      'subscription request',
    );
    const result = await subscriptions.create(caller, body);
    res.status(result.created ? 201 : 200).json(result.subscription);
  });

  router.get('/subscriptions/:id', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parseInput(subscriptionIdSchema, req.params.id, 'id');
    res.json(await subscriptions.get(caller, id));
  });

  router.delete('/subscriptions/:id', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parseInput(subscriptionIdSchema, req.params.id, 'id');
    res.json(await subscriptions.cancel(caller, id));
  });

  router.get('/admin/subscriptions', async (req, res) => {
    const caller = await callers.caller(req);
    const query = parseInput(
      listSubscriptionsQuerySchema,
      req.query,
      'subscription query',
    );
    res.json(await subscriptions.listForDecision(caller, query));
  });

  router.post('/admin/subscriptions/:id/approve', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parseInput(subscriptionIdSchema, req.params.id, 'id');
    const body = parseInput(
      approveSubscriptionRequestSchema,
      req.body,
      'approval',
    );
    res.json(await subscriptions.approve(caller, id, body));
  });

  router.post('/admin/subscriptions/:id/deny', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parseInput(subscriptionIdSchema, req.params.id, 'id');
    const body = parseInput(denySubscriptionRequestSchema, req.body, 'denial');
    res.json(await subscriptions.deny(caller, id, body));
  });
}
