/**
 * PostgreSQL SQLSTATEs of a lost or refused connection: class 08 (connection exception),
 * 57P01-57P03 (the server is shutting down or restarting: what a session in flight gets
 * when PostgreSQL restarts), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;

/** Node's socket errors while reaching the database server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What node-postgres says when the server closes the connection under a query, knex when
 * no connection could be had in time, and PostgreSQL when a database takes no
 * connections for now (`ALLOW_CONNECTIONS false` during maintenance).
 */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection is closed|Client has encountered a connection error|Timeout acquiring a connection|is not currently accepting connections/i;

/**
 * Whether an error means the database cannot be reached right now (a restart, a network
 * failure, a full pool), as opposed to a query the database refused. Such an error says
 * nothing about the request; the same request succeeds once the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'KnexTimeoutError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.test(code)) return true;
    // node-fetch copies the socket's code onto its FetchError: that was an HTTP call.
    if (SOCKET_CODES.has(code) && error.name !== 'FetchError') return true;
  }
  return UNAVAILABLE_MESSAGE.test(error.message);
}
