import type { Migration } from '../../src/database/migrate';

/**
 * Adds the counts to a database whose invoices already exist, counted once. The SHARE
 * lock keeps a projector from committing invoice rows between the count and the
 * migration's commit (it waits), so the projector's next deltas apply to an exact count.
 * Frozen, like every migration that shipped (README.md here).
 */
export const INVOICE_STATUS_COUNTS_MIGRATION: Migration = {
  version: 2,
  name: 'invoice status counts',
  sql: `
CREATE TABLE invoice_status_counts (
  status   text   PRIMARY KEY,
  invoices bigint NOT NULL
);
LOCK TABLE invoices IN SHARE MODE;
INSERT INTO invoice_status_counts (status, invoices)
  SELECT status, count(*) FROM invoices GROUP BY status;`,
};
