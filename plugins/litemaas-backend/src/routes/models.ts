import {
  listModelsQuerySchema,
  litemaasModelManagePermission,
  modelIdSchema,
  updateModelRequestSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { Router } from 'express';
import { LiteMaaSRouter } from './LiteMaaSRouter';
import { RequestCallers } from './RequestCallers';
import { AccessService } from '../services/AccessService';
import { ModelService } from '../services/ModelService';
import { parseInput } from './parse';
import { z } from 'zod/v3';

// The OpenAPI layer has already turned `?confirmEmpty=true` into a boolean.
const syncQuerySchema = z
  .object({ confirmEmpty: z.boolean().optional() })
  .strict();

/**
 * Model routes. Model ids contain `/`, `:` and `.` (`ibm-granite/granite-3.1-8b-instruct`,
 * `llama3.2:3b`), so `:id(*)` takes the rest of the path, sent as-is or URL-encoded.
 */
export function registerModelRoutes(
  router: LiteMaaSRouter,
  options: {
    access: AccessService;
    callers: RequestCallers;
    models: ModelService;
  },
): void {
  const { access, callers, models } = options;
  // `/models/{id}` in the spec; Express's `(*)` also takes an id sent with a bare `/`.
  const anyPath: Router = router;

  // Models are not anyone's data: other plugins (the catalog module) may read them with
  // a service token, and then get no subscription status.
  router.get('/models', async (req, res) => {
    const caller = await callers.callerOrService(req);
    const query = parseInput(listModelsQuerySchema, req.query, 'model query');
    res.json(await models.list(caller, query));
  });

  anyPath.get('/models/:id(*)', async (req, res) => {
    const caller = await callers.callerOrService(req);
    const id = parseInput(modelIdSchema, req.params.id, 'model id');
    res.json(await models.get(caller, id));
  });

  router.post('/admin/models/sync', async (req, res) => {
    const caller = await callers.caller(req);
    await access.require(caller, litemaasModelManagePermission);
    const { confirmEmpty } = parseInput(syncQuerySchema, req.query, 'query');
    res.json(await models.syncNow(caller, { confirmEmpty }));
  });

  anyPath.patch('/admin/models/:id(*)', async (req, res) => {
    const caller = await callers.caller(req);
    await access.require(caller, litemaasModelManagePermission);
    const id = parseInput(modelIdSchema, req.params.id, 'model id');
    const body = parseInput(updateModelRequestSchema, req.body, 'model update');
    res.json(await models.update(caller, id, body));
  });
}
