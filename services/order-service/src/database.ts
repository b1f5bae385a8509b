import { outboxMigrations, OUTBOX_MIGRATIONS_TABLE } from '@orderflow/outbox';
import { createDatabase, ensureDatabase, migrate, type Knex, type Logger } from '@orderflow/platform';
import { orderMigrations } from './migrations.js';

/** Creates the orders database if missing, migrates it and returns its pool. */
export async function openOrdersDatabase(url: string, logger: Logger, poolMax?: number): Promise<Knex> {
  await ensureDatabase(url);
  const db = createDatabase({ url, logger, poolMax });
  await migrate(db, orderMigrations, 'knex_migrations');
  await migrate(db, outboxMigrations, OUTBOX_MIGRATIONS_TABLE);
  return db;
}
