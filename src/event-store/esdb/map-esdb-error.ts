import { WrongExpectedVersionError as EsdbWrongExpectedVersionError } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../errors/event-store-unavailable.error';
import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error';
import { NO_STREAM, type CurrentRevision, type ExpectedRevision } from '../expected-revision';

/** gRPC status codes after which the server may or may not have done the work. */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
/** The server's own timeout (a commit not acknowledged in time): outcome unknown too. */
const ABORTED = 10;
const TRANSIENT_CODES = new Set([UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED]);
/**
 * The client's error `type`s for the same situations, plus a node that lost
 * leadership and a call the server cancelled (a node shutting down; the client
 * swallows cancellations it made itself).
 */
const TRANSIENT_TYPES = new Set([
  'unavailable',
  'deadline-exceeded',
  'timeout',
  'not-leader',
  'cancelled',
]);

export interface AppendContext {
  readonly stream: string;
  readonly expected: ExpectedRevision;
}

/**
 * The one translation of @eventstore/db-client errors into the port's errors.
 *
 * Codes, not classes: with no server, an append rejects with a plain Error whose
 * `code` is 14, while a read rejects with the client's UnavailableError. Anything
 * transient becomes EventStoreUnavailableError (retry with the same event ids);
 * other errors pass through unchanged.
 */
export function mapEsdbError(error: unknown, append?: AppendContext): unknown {
  if (append && isWrongExpectedVersion(error)) {
    return new WrongExpectedVersionError(append.stream, append.expected, actualRevision(error));
  }
  if (isTransient(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new EventStoreUnavailableError(`EventStoreDB did not answer: ${reason}`, {
      cause: error,
    });
  }
  return error;
}

export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, type } = error as { code?: unknown; type?: unknown };
  return (
    (typeof code === 'number' && TRANSIENT_CODES.has(code)) ||
    (typeof type === 'string' && TRANSIENT_TYPES.has(type))
  );
}

function isWrongExpectedVersion(error: unknown): error is EsdbWrongExpectedVersionError {
  return (
    error instanceof EsdbWrongExpectedVersionError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { type?: unknown }).type === 'wrong-expected-version')
  );
}

function actualRevision(error: EsdbWrongExpectedVersionError): CurrentRevision {
  const actual: unknown = error.actualVersion;
  if (typeof actual === 'bigint' && actual >= 0n) return actual;
  return NO_STREAM;
}
