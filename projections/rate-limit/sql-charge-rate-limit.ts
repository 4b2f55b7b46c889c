import {
  reservedTokenWaits,
  type ChargeRateLimit,
  type RateLimit,
} from '../../src/billing/engine/charge-rate-limit.port';
import type { NamedStatement, SqlQueryable } from '../../src/database/sql-database';

/**
 * One atomic statement per reservation: the row is created full on first use, else
 * refilled for the time since it was last taken from and debited. "Now" is the
 * database's `clock_timestamp()`, read once (the proposed row's `refilled_at`), so the
 * instances' clocks never matter. A taker that waited for the row lock may hold a "now"
 * older than the row's: it refills nothing and leaves `refilled_at` where it was, so the
 * bucket never holds more than it earned. Returns what the bucket held before the debit,
 * and how long ago (ms) that was, by the same clock.
 */
const RESERVE: NamedStatement = {
  name: 'charge_rate_limit_reserve',
  text: `INSERT INTO charge_rate_limits AS bucket (name, tokens, refilled_at)
     VALUES ($1, $3::float8 - $4::integer, clock_timestamp())
     ON CONFLICT (name) DO UPDATE SET
       tokens = least($3::float8, bucket.tokens + $2::float8 * greatest(0::float8,
                  extract(epoch FROM excluded.refilled_at - bucket.refilled_at)::float8))
                - $4::integer,
       refilled_at = greatest(bucket.refilled_at, excluded.refilled_at)
     RETURNING tokens + $4::integer AS available,
       extract(epoch FROM clock_timestamp() - refilled_at)::float8 * 1000 AS held_ms`,
};

/**
 * The charge rate limit shared by every instance on one PostgreSQL: a token bucket row
 * in `charge_rate_limits` (migration 6), one round trip per reservation.
 */
export class SqlChargeRateLimit implements ChargeRateLimit {
  constructor(
    private readonly db: SqlQueryable,
    /** The provider account the limit is for. */
    private readonly bucket = 'payment-provider',
  ) {}

  async reserve(limit: RateLimit, count: number): Promise<number[]> {
    const [row] = await this.db.query<{ available: number; held_ms: number }>(RESERVE, [
      this.bucket,
      limit.ratePerSecond,
      limit.burst,
      count,
    ]);
    const waits = reservedTokenWaits(Number(row.available), count, limit.ratePerSecond);
    return waits.map((ms) => Math.max(0, ms - Number(row.held_ms)));
  }
}
