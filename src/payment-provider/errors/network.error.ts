/**
 * The provider could not be reached or did not answer. `mayHaveReachedProvider` is the
 * one fact the caller needs: false means the request never left (safe to retry); true
 * means it may have been processed (ambiguous: retry only with the same key on an
 * idempotent provider, otherwise the outcome is unknown).
 *
 * A provider that answered "not processed, come back later" (429, 503) says how: a
 * `throttled` answer (429) is about the caller's pace, not the provider's health, and
 * `retryAfterMs` is its Retry-After, when it sent one.
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly code = 'NETWORK_ERROR';
  readonly throttled: boolean;
  readonly retryAfterMs: number | null;

  constructor(
    readonly mayHaveReachedProvider: boolean,
    message: string,
    options?: { cause?: unknown; throttled?: boolean; retryAfterMs?: number | null },
  ) {
    super(message, options);
    this.throttled = options?.throttled ?? false;
    this.retryAfterMs = options?.retryAfterMs ?? null;
  }
}
