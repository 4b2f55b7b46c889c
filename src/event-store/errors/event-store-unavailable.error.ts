/**
 * The event store cannot be reached or did not answer in time. Whether an append that
 * failed this way was stored is unknown: retry it with the same event ids.
 */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  readonly code = 'EVENT_STORE_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
