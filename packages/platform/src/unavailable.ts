// Postgres SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections;
// class 08 is connection exceptions.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

/**
 * Whether an error says a dependency (the database, most often) cannot be reached right
 * now, as opposed to the request or message being at fault. Decided from error fields,
 * never from message text.
 */
export function isDependencyUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'KnexTimeoutError') return true;
  const { code } = err as { code?: unknown };
  if (typeof code !== 'string') return false;
  return UNAVAILABLE_NET_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}
