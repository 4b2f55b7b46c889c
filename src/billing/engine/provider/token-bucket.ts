import { reservedTokenWaits, type RateLimit } from '../charge-rate-limit.port';

/**
 * A token bucket of `ratePerSecond` with room for `burst` tokens, by reservation: each
 * reserve() takes its tokens at once (the bucket may go into debt) and says how long to
 * wait for each, so callers that arrive together are spaced out in arrival order instead
 * of retrying in a crowd. Time comes from `now` (tests move it).
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    const { ratePerSecond, burst } = limit;
    if (!(ratePerSecond > 0) || !(burst >= 1)) {
      throw new RangeError(`a token bucket needs a rate > 0 and a burst >= 1`);
    }
    this.tokens = burst;
    this.at = now();
  }

  /** Reserves `count` tokens; the ms to wait before using each (0: now), ascending. */
  reserve(count: number): number[] {
    const { ratePerSecond, burst } = this.limit;
    const now = this.now();
    const elapsed = Math.max(0, now - this.at);
    this.tokens = Math.min(burst, this.tokens + (elapsed * ratePerSecond) / 1000);
    this.at = Math.max(this.at, now);
    const available = this.tokens;
    this.tokens -= count;
    return reservedTokenWaits(available, count, ratePerSecond);
  }
}
