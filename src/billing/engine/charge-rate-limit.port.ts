/** Nest injection token for the shared charge rate limit (PAYMENT_PROVIDER_MAX_RPS). */
export const CHARGE_RATE_LIMIT = Symbol('CHARGE_RATE_LIMIT');

/** A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up while idle. */
export interface RateLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * The provider's per-account limit on charges, one bucket for every instance that shares
 * it (docs/design.md §2.6). Each token is one charge sent. A reservation always succeeds:
 * it takes `count` tokens now, letting the bucket go into debt, and says when each may be
 * used, so callers are spaced by the rate in the order they asked, with no polling.
 */
export interface ChargeRateLimit {
  /**
   * Reserves `count` tokens of the bucket `limit` describes. Resolves to when each may be
   * used, in ms from when the answer arrives (0: now), ascending.
   */
  reserve(limit: RateLimit, count: number): Promise<number[]>;
}

/**
 * When each of `count` tokens just taken from a bucket that held `available` (fractional,
 * below zero when in debt) may be used, in ms from the moment it held them: the i-th
 * (from 1) once the bucket has refilled to i.
 */
export function reservedTokenWaits(
  available: number,
  count: number,
  ratePerSecond: number,
): number[] {
  return Array.from({ length: count }, (_, i) =>
    Math.max(0, ((i + 1 - available) * 1000) / ratePerSecond),
  );
}
