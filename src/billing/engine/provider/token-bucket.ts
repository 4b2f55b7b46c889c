/**
 * A token bucket of `ratePerSecond` with room for `burst` tokens, by reservation: each
 * take() reserves the next token and says how long to wait for it, so callers that
 * arrive together are spaced out in arrival order instead of retrying in a crowd.
 * Time comes from `now` (tests move it).
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) {
      throw new RangeError(`a token bucket needs a rate > 0 and a burst >= 1`);
    }
    this.tokens = burst;
    this.at = now();
  }

  /** Reserves `count` tokens; the ms to wait before using them (0: now). */
  take(count = 1): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.ratePerSecond) / 1000);
    this.at = now;
    this.tokens -= count;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSecond);
  }
}
