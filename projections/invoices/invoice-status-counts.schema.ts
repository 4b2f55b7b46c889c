import type { TableNames } from '../projection';

/**
 * Invoices per status, kept by the invoices projection in the same transaction as the
 * invoice rows (deltas per batch), so a page's `total` and `countByStatus` read five
 * rows instead of counting an index. A status whose invoices all moved on keeps its row
 * at 0.
 */
export function invoiceStatusCountsSchema(names: TableNames): string {
  const t = names('invoice_status_counts');
  return `
CREATE TABLE ${t} (
  status   text   PRIMARY KEY,
  invoices bigint NOT NULL
);`;
}
