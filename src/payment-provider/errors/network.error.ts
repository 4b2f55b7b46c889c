/**
 * The provider could not be reached or did not answer. `mayHaveReachedProvider` is the
 * one fact the caller needs: false means the request never left (safe to retry); true
 * means it may have been processed (ambiguous: retry only with the same key on an
 * idempotent provider, otherwise the outcome is unknown).
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly code = 'NETWORK_ERROR';

  constructor(
    readonly mayHaveReachedProvider: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
