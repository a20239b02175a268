// A backend built the way Red Hat Developer Hub's is: the core plugins are part of it, and
// everything else comes from the dynamic plugins root (`dynamicPlugins.rootDirectory`),
// loaded by @backstage/backend-dynamic-feature-service. Nothing of LiteMaaS is imported
// here: the LiteMaaS backend plugin, its catalog module and its scaffolder module are the
// packages `yarn export-dynamic` exported. system/rhdh.test.mjs starts it.
import { createBackend } from '@backstage/backend-defaults';
import { dynamicPluginsFeatureLoader } from '@backstage/backend-dynamic-feature-service';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import path from 'node:path';
import { dynamicPluginsInfoPlugin } from './dynamicPluginsInfo';
import { hideWorkspacePlugins } from './hideWorkspacePlugins';
import { permissionModuleRbacStandIn } from './rbacStandIn';

hideWorkspacePlugins(
  resolvePackagePath('backend-dynamic', '..', '..', 'plugins') + path.sep,
);

const backend = createBackend();

backend.add(dynamicPluginsFeatureLoader);
backend.add(dynamicPluginsInfoPlugin);

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionModuleRbacStandIn);
// One of RHDH's own dynamic plugins, which docs/deployment/dynamic-plugins.yaml enables
// for LiteMaaS's alerts.
backend.add(import('@backstage/plugin-notifications-backend'));

backend.start();
