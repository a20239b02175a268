import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  usageQueryFieldsSchema,
  usageQuerySchema,
  usageReportSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { parseInput } from '../routes/parse';
import { LiteMaaSActionServices } from './types';

/** `get-my-usage`. */
export function registerUsageActions(
  registry: ActionsRegistryService,
  services: LiteMaaSActionServices,
): void {
  const { callers, usageReports } = services;

  registry.register({
    name: 'get-my-usage',
    title: 'Show my LiteMaaS usage',
    description:
      "Reports the calling user's LLM usage (and their teams') for a period: requests, tokens and spend, grouped by day, model, key, user, team or entity, with totals. Dates are UTC days YYYY-MM-DD, both included; without them, the last 30 days. Spend is in the report's currency; usage is synced from LiteLLM periodically (`lastSyncedAt`).",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: () => usageQueryFieldsSchema,
      output: () => usageReportSchema,
    },
    action: async ({ input, credentials }) => {
      const caller = await callers.actionCaller(credentials);
      // The default period and the range check of `GET /usage`.
      const query = parseInput(usageQuerySchema, input, 'usage query');
      return { output: await usageReports.report(caller, query) };
    },
  });
}
