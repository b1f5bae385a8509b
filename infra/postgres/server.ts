/**
 * Finds the PostgreSQL server for local runs and tests: DATABASE_URL when set, else the
 * machine's server on 127.0.0.1:5432. Each service creates its own database on it.
 */
import pg from 'pg';

/** The server URL used when DATABASE_URL is not set. */
export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of a reachable server, or an Error saying what to do. */
export async function findPostgres(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const url = env.DATABASE_URL || LOCAL_POSTGRES;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `no PostgreSQL at ${url} (${why}): start PostgreSQL on 127.0.0.1:5432 or set DATABASE_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The same server's URL with another database name. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
