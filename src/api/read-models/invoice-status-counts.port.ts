import type { InvoiceStatus } from '../../billing/domain';

/** What the metrics read of the invoices: counts by status; projections/ implements the port. */
export const INVOICE_STATUS_COUNTS = Symbol('INVOICE_STATUS_COUNTS');

export interface InvoiceStatusCounts {
  /** Every status present (0 when none), as the invoices projection keeps them. */
  countByStatus(): Promise<Record<InvoiceStatus, number>>;
}
