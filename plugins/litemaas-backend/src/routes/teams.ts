import {
  enableTeamRequestSchema,
  teamRefParamSchema,
  updateTeamRequestSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSRouter } from './LiteMaaSRouter';
import { RequestCallers } from './RequestCallers';
import { TeamService } from '../teams';
import { parseInput } from './parse';

/** Team routes: my teams under `/teams`, administration under `/admin/teams`. */
export function registerTeamRoutes(
  router: LiteMaaSRouter,
  options: {
    callers: RequestCallers;
    teams: TeamService;
  },
): void {
  const { callers, teams } = options;

  router.get('/teams', async (req, res) => {
    const caller = await callers.caller(req);
    const items = await teams.listMine(caller);
    res.json({ items, total: items.length });
  });

  router.get('/teams/:ref', async (req, res) => {
    const caller = await callers.caller(req);
    const ref = parseInput(teamRefParamSchema, req.params.ref, 'team ref');
    res.json(await teams.get(caller, ref));
  });

  router.get('/admin/teams', async (req, res) => {
    const caller = await callers.caller(req);
    const items = await teams.listAll(caller);
    res.json({ items, total: items.length });
  });

  router.post('/admin/teams', async (req, res) => {
    const caller = await callers.caller(req);
    const body = parseInput(enableTeamRequestSchema, req.body, 'team');
    res.status(201).json(await teams.enable(caller, body));
  });

  router.patch('/admin/teams/:ref', async (req, res) => {
    const caller = await callers.caller(req);
    const ref = parseInput(teamRefParamSchema, req.params.ref, 'team ref');
    const body = parseInput(updateTeamRequestSchema, req.body, 'team change');
    res.json(await teams.update(caller, ref, body));
  });

  router.post('/admin/teams/sync', async (req, res) => {
    const caller = await callers.caller(req);
    res.json(await teams.syncNow(caller));
  });
}
