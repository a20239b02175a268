import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { applyDatabaseMigrations } from './database/migrations';
import { createRouter } from './router';
import { HealthService } from './services/HealthService';

/**
 * The LiteMaaS backend plugin: REST API under `/api/litemaas`.
 *
 * @public
 */
export const litemaasPlugin = createBackendPlugin({
  pluginId: 'litemaas',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
      },
      async init({ logger, database, httpRouter }) {
        const db = await applyDatabaseMigrations(database);
        httpRouter.use(
          await createRouter({ health: new HealthService(db, logger) }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
