import type { InvoiceStatus } from '../billing/domain';

/** What `antaeus billing run` reports before and after; projections/ implements the port. */
export const INVOICE_COUNTS = Symbol('INVOICE_COUNTS');

export interface InvoiceCounts {
  /** Invoice counts by status, every status present (0 when none), as the projection keeps them. */
  countByStatus(): Promise<Record<InvoiceStatus, number>>;
}
