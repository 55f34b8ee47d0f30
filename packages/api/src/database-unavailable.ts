// Connection-level failures (the database is down, restarting, gone or out of connections), as
// opposed to errors in a query: node's socket codes and PostgreSQL's SQLSTATE classes 08
// (connection exception), 57P0x (operator intervention), 53300 (too many connections), 3D000
// (the database was dropped or renamed) and 28 (the login is refused, e.g. after a password change).
const CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '3D000',
  '28000',
  '28P01',
]);
const MESSAGES =
  /Connection terminated|connect ECONNREFUSED|terminating connection due to|the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error|timeout exceeded when trying to connect|Connection is closed/i;

/** Whether `error` (or what it wraps) says the database cannot be reached, rather than that a query failed. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const { code, sqlState, message } = current as { code?: unknown; sqlState?: unknown; message?: unknown };
    if (typeof code === 'string' && CODES.has(code)) return true;
    if (typeof sqlState === 'string' && CODES.has(sqlState)) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    const next = current as { originalError?: unknown; cause?: unknown };
    current = next.originalError ?? next.cause;
  }
  return false;
}

/** What the client is told while the database is unreachable: retry later, see /ready. */
export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is not reachable right now. Try again in a moment; GET /ready answers 200 when it is back.';
