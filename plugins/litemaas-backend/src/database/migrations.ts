import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** The directory of the plugin's knex migrations. */
export const migrationsDir = resolvePackagePath(
  '@litemaas/backstage-plugin-litemaas-backend',
  'migrations',
);

/**
 * Returns the plugin's Knex client after bringing its schema up to date, unless the
 * deployment manages migrations itself (`backend.database.skipMigrations`).
 */
export async function applyDatabaseMigrations(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

/** Knex migration API, exported for tests that roll migrations back. */
export async function rollbackAllMigrations(client: Knex): Promise<void> {
  await client.migrate.rollback({ directory: migrationsDir }, true);
}
