import { createBackend } from '@backstage/backend-defaults';
import { permissionModuleLiteMaaSPolicy } from '@litemaas/backstage-plugin-litemaas-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest for local development (app-config.yaml), OIDC in production
// (app-config.production.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

backend.add(import('@backstage/plugin-permission-backend'));
// Members of litemaas.adminGroups administer LiteMaaS; everything else is allowed.
backend.add(permissionModuleLiteMaaSPolicy);

backend.add(import('@backstage/plugin-search-backend'));
// PostgreSQL search in production; on SQLite it falls back to the in-memory engine.
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));

// AI assistants: the actions of the plugins in backend.actions.pluginSources (LiteMaaS's)
// as MCP tools at /api/mcp-actions/v1, called with the user's token.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// LiteMaaS
backend.add(import('@litemaas/backstage-plugin-litemaas-backend'));
backend.add(
  import('@litemaas/backstage-plugin-catalog-backend-module-litemaas'),
);
backend.add(
  import('@litemaas/backstage-plugin-scaffolder-backend-module-litemaas'),
);

// A start that fails ends the process with status 1, for Kubernetes (or whatever runs
// it) to start it again. Backstage logs the failure and would otherwise keep the process
// up, answering liveness 200 and readiness 503 forever: a replica that started next to
// another on a new database, and lost a plugin's migration lock to it, never served
// (system/production-replicas.test.mjs holds a migration lock to show it exits).
backend.start().catch(error => {
  console.error('Backend start-up failed, exiting', error);
  process.exit(1);
});
