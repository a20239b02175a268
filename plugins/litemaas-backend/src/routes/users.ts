import {
  entityRefSchema,
  pageLimitSchema,
  pageOffsetSchema,
  updateUserLimitsRequestSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSRouter } from './LiteMaaSRouter';
import { RequestCallers } from './RequestCallers';
import { z } from 'zod/v3';
import { UserAdminService } from '../services/UserAdminService';
import { parseInput } from './parse';

const userRefSchema = entityRefSchema(['user']);
const pageSchema = z
  .object({
    limit: pageLimitSchema.default(50),
    offset: pageOffsetSchema.default(0),
  })
  .strict();

/** Admin user routes: per-user limits and their live spend. */
export function registerUserRoutes(
  router: LiteMaaSRouter,
  options: {
    callers: RequestCallers;
    userAdmin: UserAdminService;
  },
): void {
  const { callers, userAdmin } = options;

  router.get('/admin/users', async (req, res) => {
    const caller = await callers.caller(req);
    const page = parseInput(pageSchema, req.query, 'page');
    const items = await userAdmin.list(caller, page);
    res.json({ items, ...page });
  });

  router.get('/admin/users/:ref', async (req, res) => {
    const caller = await callers.caller(req);
    const ref = parseInput(userRefSchema, req.params.ref, 'user ref');
    res.json(await userAdmin.get(caller, ref));
  });

  router.patch('/admin/users/:ref', async (req, res) => {
    const caller = await callers.caller(req);
    const ref = parseInput(userRefSchema, req.params.ref, 'user ref');
    const body = parseInput(updateUserLimitsRequestSchema, req.body, 'limits');
    res.json(await userAdmin.update(caller, ref, body));
  });
}
