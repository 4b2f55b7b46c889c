/** The status of an invoice, derived from its stream (docs/design.md §3.4). PAID and VOID are final. */
export const INVOICE_STATUSES = [
  'PENDING',
  'PROCESSING',
  'PAID',
  'FAILED',
  'UNKNOWN',
  'VOID',
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export function isInvoiceStatus(value: unknown): value is InvoiceStatus {
  return typeof value === 'string' && (INVOICE_STATUSES as readonly string[]).includes(value);
}

/** A count per status, each 0: what a tally starts from. */
export function zeroCountsByStatus(): Record<InvoiceStatus, number> {
  return Object.fromEntries(INVOICE_STATUSES.map((status) => [status, 0])) as Record<
    InvoiceStatus,
    number
  >;
}
