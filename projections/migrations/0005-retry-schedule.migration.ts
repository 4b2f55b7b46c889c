import type { Migration } from '../../src/database/migrate';

/**
 * The retry schedule on the invoices read model (docs/design.md §2.11): when the next
 * retry is due, how many are left, whether they are exhausted; the retry scan and the
 * awaiting-retry list read the first, the exhausted list the last. Backfilled from the
 * folded state each row keeps (failures since the domain began scheduling already have
 * it). Frozen, like every migration that shipped (README.md here).
 */
export const RETRY_SCHEDULE_MIGRATION: Migration = {
  version: 5,
  name: 'retry schedule',
  sql: `
ALTER TABLE invoices
  ADD COLUMN next_retry_at timestamptz,
  ADD COLUMN retries_left integer,
  ADD COLUMN retries_exhausted boolean NOT NULL DEFAULT false;
UPDATE invoices
   SET next_retry_at = (state->'nextRetry'->>'at')::timestamptz,
       retries_left = jsonb_array_length(state->'nextRetry'->'rule')
                      - (state->'nextRetry'->>'retryNumber')::integer + 1
 WHERE jsonb_typeof(state->'nextRetry') = 'object';
UPDATE invoices SET retries_exhausted = true, retries_left = 0
 WHERE jsonb_typeof(state->'retriesExhausted') = 'object';
CREATE INDEX invoices_retry_due_idx ON invoices (next_retry_at) WHERE next_retry_at IS NOT NULL;
CREATE INDEX invoices_retries_exhausted_idx ON invoices (id_order) WHERE retries_exhausted;
CREATE INDEX billing_run_attempts_run_idx ON billing_run_attempts (run_id);`,
};
