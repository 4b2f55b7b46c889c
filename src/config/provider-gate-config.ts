/**
 * The circuit breaker, back-off and rate limit on the payment provider
 * (PAYMENT_PROVIDER_BREAKER_*, PAYMENT_PROVIDER_MAX_BACKOFF_MS, PAYMENT_PROVIDER_MAX_RPS):
 * when an instance stops sending, for how long, and how fast all may send
 * (docs/design.md §2.6).
 */
export interface ProviderGateConfig {
  /** The breaker opens after this many transient or ambiguous failures in a row... */
  readonly consecutiveFailures: number;
  /** ...or when at least this share of the last `window` calls failed. */
  readonly failureRatio: number;
  readonly window: number;
  /** Open this long before the first probe; doubled after each failed probe... */
  readonly openMs: number;
  /** ...up to this. */
  readonly maxOpenMs: number;
  /** The longest pause a 429's or 503's Retry-After gets. */
  readonly maxBackoffMs: number;
  /**
   * PAYMENT_PROVIDER_MAX_RPS: charges per second sent by all instances together (the
   * provider limits its account, not a client); null: no limit.
   */
  readonly maxChargesPerSecond: number | null;
}

/** A burst of failures opens the breaker for 1 s at first, at most 8 s between probes. */
export const DEFAULT_PROVIDER_GATE_CONFIG: ProviderGateConfig = {
  consecutiveFailures: 10,
  failureRatio: 0.5,
  window: 50,
  openMs: 1_000,
  maxOpenMs: 8_000,
  maxBackoffMs: 60_000,
  maxChargesPerSecond: null,
};
