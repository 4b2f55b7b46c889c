import type { InvoiceStatus } from '../../billing/domain';
import type { RetryList } from './invoice-read-model.port';

/**
 * What the metrics read of the invoices: counts by status and by retry list;
 * projections/ implements the port.
 */
export const INVOICE_STATUS_COUNTS = Symbol('INVOICE_STATUS_COUNTS');

export interface InvoiceStatusCounts {
  /** Every status present (0 when none), as the invoices projection keeps them. */
  countByStatus(): Promise<Record<InvoiceStatus, number>>;
  /** How many invoices await an automatic retry, and how many have none left. */
  retryCounts(): Promise<Record<RetryList, number>>;
}
