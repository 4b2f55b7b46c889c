import type { ChargeRateLimit, RateLimit } from '../charge-rate-limit.port';
import { TokenBucket } from './token-bucket';

/**
 * The charge rate limit of a single instance (embedded PGlite: one process owns the
 * data directory, so there is no one to share the bucket with): the same reservations
 * as the shared bucket in PostgreSQL, kept in memory.
 */
export class InProcessChargeRateLimit implements ChargeRateLimit {
  private bucket: { limit: RateLimit; tokens: TokenBucket } | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  reserve(limit: RateLimit, count: number): Promise<number[]> {
    const same =
      this.bucket?.limit.ratePerSecond === limit.ratePerSecond &&
      this.bucket.limit.burst === limit.burst;
    if (!this.bucket || !same) {
      this.bucket = { limit, tokens: new TokenBucket(limit, this.now) };
    }
    return Promise.resolve(this.bucket.tokens.reserve(count));
  }
}
