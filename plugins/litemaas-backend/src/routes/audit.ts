import { InputError } from '@backstage/errors';
import {
  auditQuerySchema,
  litemaasAuditReadPermission,
} from '@litemaas/backstage-plugin-litemaas-common';
import express from 'express';
import Router from 'express-promise-router';
import { AuditStore } from '../database/AuditStore';
import { AccessService } from '../services/AccessService';

/** `GET /admin/audit`: the audit trail, newest first, filtered and paged. */
export function createAuditRoutes(options: {
  access: AccessService;
  auditStore: AuditStore;
}): express.Router {
  const { access, auditStore } = options;
  const router = Router();

  router.get('/admin/audit', async (req, res) => {
    const caller = await access.caller(req);
    await access.require(caller, litemaasAuditReadPermission);
    const parsed = auditQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      throw new InputError(`Invalid audit query: ${parsed.error.message}`);
    }
    const q = parsed.data;
    res.json(
      await auditStore.list({
        actorRef: q.actor,
        action: q.action,
        targetType: q.targetType,
        targetId: q.targetId,
        outcome: q.outcome,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        limit: q.limit,
        cursor: q.cursor,
      }),
    );
  });

  return router;
}
