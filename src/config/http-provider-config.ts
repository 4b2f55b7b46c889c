/** How the service reaches an HTTP payment provider (PAYMENT_PROVIDER=http). */
export interface HttpProviderConfig {
  /** Base URL; `/charges` is appended (PAYMENT_PROVIDER_URL). */
  readonly url: string;
  /** A call not answered within this many ms is abandoned as ambiguous (PAYMENT_PROVIDER_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /**
   * The provider deduplicates by Idempotency-Key (PAYMENT_PROVIDER_IDEMPOTENT). Say true
   * only when its contract promises it: ambiguous attempts are then retried with the key.
   */
  readonly idempotent: boolean;
  /** The provider answers `GET /charges/{key}` (PAYMENT_PROVIDER_LOOKUP). */
  readonly lookup: boolean;
  /**
   * The provider's declared processing deadline: it never processes a request later than
   * this after the request arrived (PAYMENT_PROVIDER_DEADLINE_MS, needs the lookup).
   * Null: none declared, `not_found` is never final. Absent counts as null.
   */
  readonly processingDeadlineMs?: number | null;
  /** Sent as X-Antaeus-Instance, so the provider's records name the caller. */
  readonly clientId: string;
}

export const DEFAULT_HTTP_PROVIDER_TIMEOUT_MS = 10_000;
