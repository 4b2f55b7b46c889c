// Socket errors of a database or event store that cannot be reached.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

// SQLSTATEs of a PostgreSQL that is down, restarting or full: class 08 (connection
// exception), admin/crash shutdown, cannot connect now, too many connections.
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;

// pg's pool and client report these without a code.
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|terminating connection)/i;

/**
 * Whether an error means a store (event store or read-model database) is unreachable:
 * retry the same request later (the engine), answer 503 (REST), rather than a bug.
 * Follows `cause` chains, since adapters wrap the driver's error. The one place that
 * decides it. Matched on codes, not classes: shared/ sits below the stores it recognises.
 */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (code === 'EVENT_STORE_UNAVAILABLE') return true;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) {
    return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  return isUnavailable(cause, depth + 1);
}
