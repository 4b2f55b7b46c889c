import type { Migration } from '../../src/database/migrate';

/**
 * The token bucket every instance takes a charge's token from (PAYMENT_PROVIDER_MAX_RPS,
 * docs/design.md §2.6). Not a projection: written by the billing engine, beside the read
 * models so every instance shares it. UNLOGGED: a bucket is a few seconds of state, so it
 * writes no WAL and its commits wait for no disk flush; after a crash of PostgreSQL the
 * row is gone and the next reservation starts a full bucket. Frozen once shipped
 * (README.md here).
 */
export const CHARGE_RATE_LIMIT_MIGRATION: Migration = {
  version: 6,
  name: 'charge rate limit',
  sql: `CREATE UNLOGGED TABLE charge_rate_limits (
  name text PRIMARY KEY,
  tokens double precision NOT NULL,
  refilled_at timestamptz NOT NULL
);`,
};
