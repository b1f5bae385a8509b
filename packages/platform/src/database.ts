import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from './logger.js';

export type { Knex } from 'knex';

/** One migration, kept in code so it ships inside the service that owns the table. */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Options of a service's database pool. */
export interface DatabaseOptions {
  /** postgres://user@host:port/database */
  url: string;
  /** Largest number of pooled connections. */
  poolMax?: number;
  logger?: Logger;
}

/** A knex instance on Postgres whose pool never lets a dropped connection crash the process. */
export function createDatabase(options: DatabaseOptions): Knex {
  return knexFactory({
    client: 'pg',
    connection: options.url,
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      afterCreate(connection: pg.Client, done: (err: Error | null, c: pg.Client) => void) {
        // An idle connection that the server drops emits 'error'; unhandled, it would
        // end the process. knex discards the broken connection on its next use.
        connection.on('error', (err) => options.logger?.warn({ err }, 'database connection lost'));
        done(null, connection);
      },
    },
    acquireConnectionTimeout: 10_000,
    // knex's own messages (a connection error, say) go through pino as JSON too.
    log: {
      warn: (message: unknown) => options.logger?.warn({ detail: String(message) }, 'database client warning'),
      error: (message: unknown) => options.logger?.warn({ detail: String(message) }, 'database client error'),
      deprecate: (message: unknown) => options.logger?.warn({ detail: String(message) }, 'database client deprecation'),
      debug: (message: unknown) => options.logger?.debug({ detail: String(message) }, 'database client debug'),
    },
  });
}

/** Creates the database named in `url` on its server when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error(`the database URL names no database: ${redact(url)}`);

  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } catch (err) {
    // Two processes may race to create it; the loser sees duplicate_database, or a
    // unique violation on pg_database when both passed the check at the same moment.
    const code = (err as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw err;
  } finally {
    await client.end();
  }
}

/**
 * Runs the given migrations to the latest. Processes sharing a database (the order
 * service and the relay both migrate the outbox) may start together: knex's own lock
 * lives in a table that the first run has yet to create, so an advisory lock, held by a
 * transaction on another pooled connection, serialises them from the very first run.
 */
export async function migrate(db: Knex, migrations: Migration[], tableName: string): Promise<void> {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  await db.transaction(async (lock) => {
    await lock.raw('select pg_advisory_xact_lock(hashtext(?))', [`migrate:${tableName}`]);
    await db.migrate.latest({
      tableName,
      migrationSource: {
        getMigrations: async () => migrations.map((m) => m.name),
        getMigrationName: (name: string) => name,
        getMigration: async (name: string) => byName.get(name)!,
      },
    });
  });
}

/** The URL with any password replaced, for log lines and errors. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
