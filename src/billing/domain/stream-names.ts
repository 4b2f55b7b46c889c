import { isBillingPeriod } from './billing-period';
import { isEntityId } from './entity-id';

export const INVOICE_STREAM_PREFIX = 'invoice-';
export const BILLING_RUN_STREAM_PREFIX = 'billing-run-';
export const CUSTOMER_STREAM_PREFIX = 'customer-';

export function customerStream(customerId: string): string {
  if (!isEntityId(customerId))
    throw new RangeError(`not a valid customer id: ${JSON.stringify(customerId)}`);
  return `${CUSTOMER_STREAM_PREFIX}${customerId}`;
}

/** The customer id of a customer stream, or null for any other stream. */
export function parseCustomerStream(stream: string): string | null {
  if (!stream.startsWith(CUSTOMER_STREAM_PREFIX)) return null;
  const id = stream.slice(CUSTOMER_STREAM_PREFIX.length);
  return isEntityId(id) ? id : null;
}

export function invoiceStream(invoiceId: string): string {
  if (!isEntityId(invoiceId))
    throw new RangeError(`not a valid invoice id: ${JSON.stringify(invoiceId)}`);
  return `${INVOICE_STREAM_PREFIX}${invoiceId}`;
}

/** The invoice id of an invoice stream, or null for any other stream. */
export function parseInvoiceStream(stream: string): string | null {
  if (!stream.startsWith(INVOICE_STREAM_PREFIX)) return null;
  const id = stream.slice(INVOICE_STREAM_PREFIX.length);
  return isEntityId(id) ? id : null;
}

/**
 * A scheduled run's id is its period, so its stream is `billing-run-<YYYY-MM>` and the
 * `no_stream` append of BillingStarted lets exactly one instance start the month.
 * A manual run has its own id, which must not look like a period.
 */
export function billingRunStream(runId: string): string {
  if (!isEntityId(runId))
    throw new RangeError(`not a valid billing run id: ${JSON.stringify(runId)}`);
  return `${BILLING_RUN_STREAM_PREFIX}${runId}`;
}

export type ParsedBillingRunStream =
  | { readonly trigger: 'scheduled'; readonly runId: string; readonly period: string }
  | { readonly trigger: 'manual'; readonly runId: string };

export function parseBillingRunStream(stream: string): ParsedBillingRunStream | null {
  if (!stream.startsWith(BILLING_RUN_STREAM_PREFIX)) return null;
  const runId = stream.slice(BILLING_RUN_STREAM_PREFIX.length);
  if (!isEntityId(runId)) return null;
  return isBillingPeriod(runId)
    ? { trigger: 'scheduled', runId, period: runId }
    : { trigger: 'manual', runId };
}
