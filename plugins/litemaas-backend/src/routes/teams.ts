import {
  enableTeamRequestSchema,
  teamRefParamSchema,
  updateTeamRequestSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSRouter } from './LiteMaaSRouter';
import { AccessService } from '../services/AccessService';
import { TeamService } from '../teams';
import { parseInput } from './parse';

/** Team routes: my teams under `/teams`, administration under `/admin/teams`. */
export function registerTeamRoutes(
  router: LiteMaaSRouter,
  options: {
    access: AccessService;
    teams: TeamService;
  },
): void {
  const { access, teams } = options;

  router.get('/teams', async (req, res) => {
    const caller = await access.caller(req);
    const items = await teams.listMine(caller);
    res.json({ items, total: items.length });
  });

  router.get('/teams/:ref', async (req, res) => {
    const caller = await access.caller(req);
    const ref = parseInput(teamRefParamSchema, req.params.ref, 'team ref');
    res.json(await teams.get(caller, ref));
  });

  router.get('/admin/teams', async (req, res) => {
    const caller = await access.caller(req);
    const items = await teams.listAll(caller);
    res.json({ items, total: items.length });
  });

  router.post('/admin/teams', async (req, res) => {
    const caller = await access.caller(req);
    const body = parseInput(enableTeamRequestSchema, req.body, 'team');
    res.status(201).json(await teams.enable(caller, body, req));
  });

  router.patch('/admin/teams/:ref', async (req, res) => {
    const caller = await access.caller(req);
    const ref = parseInput(teamRefParamSchema, req.params.ref, 'team ref');
    const body = parseInput(updateTeamRequestSchema, req.body, 'team change');
    res.json(await teams.update(caller, ref, body, req));
  });

  router.post('/admin/teams/sync', async (req, res) => {
    const caller = await access.caller(req);
    res.json(await teams.syncNow(caller));
  });
}
