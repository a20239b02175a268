import {
  auditQuerySchema,
  litemaasAuditReadPermission,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSRouter } from './LiteMaaSRouter';
import { RequestCallers } from './RequestCallers';
import { AuditStore } from '../database/AuditStore';
import { AccessService } from '../services/AccessService';
import { parseInput } from './parse';

/** `GET /admin/audit`: the audit trail, newest first, filtered and paged. */
export function registerAuditRoutes(
  router: LiteMaaSRouter,
  options: {
    access: AccessService;
    callers: RequestCallers;
    auditStore: AuditStore;
  },
): void {
  const { access, callers, auditStore } = options;

  router.get('/admin/audit', async (req, res) => {
    const caller = await callers.caller(req);
    await access.require(caller, litemaasAuditReadPermission);
    const q = parseInput(auditQuerySchema, req.query, 'audit query');
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
}
