import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { registerKeyActions } from './keys';
import { registerModelActions } from './models';
import { LiteMaaSActionServices } from './types';
import { registerUsageActions } from './usage';

/**
 * Registers the LiteMaaS actions with Backstage's actions registry, so the MCP actions
 * backend (`@backstage/plugin-mcp-actions-backend`) offers them to AI assistants as
 * tools. Each action resolves the calling user from the action's credentials and calls
 * the same service as the REST API, which authorizes, validates and audits; no action
 * ever returns a key secret.
 */
export function registerLiteMaaSActions(
  registry: ActionsRegistryService,
  services: LiteMaaSActionServices,
): void {
  registerModelActions(registry, services);
  registerKeyActions(registry, services);
  registerUsageActions(registry, services);
}
