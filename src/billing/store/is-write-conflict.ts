import { EventIdConflictError } from '../../event-store/errors/event-id-conflict.error';
import { WrongExpectedVersionError } from '../../event-store/errors/wrong-expected-version.error';

/**
 * Another writer changed the stream since it was read: it appended at the expected
 * revision (WrongExpectedVersion), or it recorded the same fact first (ids are named by
 * facts, so a second claim of one attempt collides on the id). Either way: re-read,
 * decide again.
 */
export function isWriteConflict(
  error: unknown,
): error is WrongExpectedVersionError | EventIdConflictError {
  return error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError;
}
