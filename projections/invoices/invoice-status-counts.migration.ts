import type { Migration } from '../../src/database/migrate';
import { LIVE_TABLES } from '../projection';
import { invoiceStatusCountsSchema } from './invoice-status-counts.schema';

/**
 * Adds the counts to a database whose invoices already exist, counted once. The SHARE
 * lock keeps a projector from committing invoice rows between the count and the
 * migration's commit (it waits), so the projector's next deltas apply to an exact count.
 */
export const INVOICE_STATUS_COUNTS_MIGRATION: Migration = {
  version: 2,
  name: 'invoice status counts',
  sql: `${invoiceStatusCountsSchema(LIVE_TABLES)}
LOCK TABLE invoices IN SHARE MODE;
INSERT INTO invoice_status_counts (status, invoices)
  SELECT status, count(*) FROM invoices GROUP BY status;`,
};
