/**
 * An event id was appended again with other content or at another place. Ids name one
 * fact; reusing one for a different fact is a bug in the writer, never retried.
 */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  readonly code = 'EVENT_ID_CONFLICT';

  constructor(
    readonly stream: string,
    readonly eventId: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Event id ${eventId} appended to stream "${stream}" conflicts with a stored event: ${detail}`,
      options,
    );
  }
}
