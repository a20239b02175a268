import { Response } from 'express';
import { pipeline } from 'node:stream';
import {
  adminUsageQuerySchema,
  usageQuerySchema,
  usageResyncRequestSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSRouter } from './LiteMaaSRouter';
import { RequestCallers } from './RequestCallers';
import { UsageReportService, UsageSyncService } from '../usage';
import { parseInput } from './parse';

/** Streams a CSV export; a failure midway ends the download early. */
function sendCsv(
  res: Response,
  file: { filename: string; csv: NodeJS.ReadableStream },
): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${file.filename}"`,
  );
  pipeline(file.csv, res, () => undefined);
}

/** Usage routes: my usage under `/usage`, everyone's and the sync under `/admin/usage`. */
export function registerUsageRoutes(
  router: LiteMaaSRouter,
  options: {
    callers: RequestCallers;
    sync: UsageSyncService;
    reports: UsageReportService;
  },
): void {
  const { callers, sync, reports } = options;

  router.get('/usage', async (req, res) => {
    const caller = await callers.caller(req);
    const query = parseInput(usageQuerySchema, req.query, 'usage query');
    res.json(await reports.report(caller, query));
  });

  router.get('/usage/export.csv', async (req, res) => {
    const caller = await callers.caller(req);
    const query = parseInput(usageQuerySchema, req.query, 'usage query');
    sendCsv(res, await reports.exportCsv(caller, query, false));
  });

  router.get('/admin/usage', async (req, res) => {
    const caller = await callers.caller(req);
    const query = parseInput(adminUsageQuerySchema, req.query, 'usage query');
    res.json(await reports.adminReport(caller, query));
  });

  router.get('/admin/usage/export.csv', async (req, res) => {
    const caller = await callers.caller(req);
    const query = parseInput(adminUsageQuerySchema, req.query, 'usage query');
    sendCsv(res, await reports.exportCsv(caller, query, true));
  });

  router.post('/admin/usage/sync', async (req, res) => {
    const caller = await callers.caller(req);
    res.json(await sync.syncNow(caller));
  });

  router.post('/admin/usage/resync', async (req, res) => {
    const caller = await callers.caller(req);
    const body = parseInput(usageResyncRequestSchema, req.body, 'resync');
    res.json(await sync.resync(caller, body));
  });
}
