import { EventStoreUnavailableError } from '../../event-store/errors/event-store-unavailable.error';

// Node socket errors and PostgreSQL SQLSTATEs that mean "could not talk to the
// database now", not "the database refused this": class 08 (connection exception),
// 57P01-03 (shut down / cannot connect now), 53300 (too many connections).
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /connection error/i,
  /timeout exceeded when trying to connect/i,
  /terminating connection/i,
];

/**
 * Whether an error from the event store or a read model means "unreachable, try again
 * with the same request". The PostgreSQL backend passes pg errors through, so they are
 * recognised here as well as EventStoreUnavailableError.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof EventStoreUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message));
}
