import { createDatabase, ensureDatabase, migrate, type Knex, type Logger } from '@orderflow/platform';
import { inventoryMigrations } from './migrations.js';

/** Creates the inventory database if missing, migrates it and returns its pool. */
export async function openInventoryDatabase(url: string, logger: Logger, poolMax?: number): Promise<Knex> {
  await ensureDatabase(url);
  const db = createDatabase({ url, logger, poolMax });
  await migrate(db, inventoryMigrations, 'knex_migrations');
  return db;
}
