import { retriesLeft, type Invoice } from '../../src/billing/domain';
import type { Column } from '../sql/upsert-rows';

export const INVOICE_COLUMNS: readonly Column[] = [
  ['invoice_id', 'text'],
  ['customer_id', 'text'],
  ['amount_value', 'numeric'],
  ['currency', 'text'],
  ['status', 'text'],
  ['attempts', 'integer'],
  ['last_failure_attempt', 'integer'],
  ['last_failure_reason', 'text'],
  ['last_failure_message', 'text'],
  ['last_failure_retryable', 'boolean'],
  ['last_failed_at', 'timestamptz'],
  ['processing_since', 'timestamptz'],
  ['revision', 'bigint'],
  ['issued_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['state', 'jsonb'],
  ['due_date', 'date'],
  ['description', 'text'],
  ['next_retry_at', 'timestamptz'],
  ['retries_left', 'integer'],
  ['retries_exhausted', 'boolean'],
];

/** The row of an invoice folded up to `revision`, last changed by an event at `updatedAt`. */
export function toInvoiceRow(
  invoice: Invoice,
  revision: bigint,
  updatedAt: Date,
): Record<string, unknown> {
  const failure = invoice.lastFailure;
  return {
    invoice_id: invoice.invoiceId,
    customer_id: invoice.customerId,
    amount_value: invoice.amount.value,
    currency: invoice.amount.currency,
    status: invoice.status,
    attempts: invoice.attempts.length,
    last_failure_attempt: failure?.attempt ?? null,
    last_failure_reason: failure?.reason ?? null,
    last_failure_message: failure?.message ?? null,
    last_failure_retryable: failure?.retryable ?? null,
    last_failed_at: failure?.failedAt ?? null,
    processing_since: invoice.openAttempt?.lastDrivenAt ?? null,
    revision,
    issued_at: invoice.issuedAt,
    updated_at: updatedAt.toISOString(),
    state: invoice,
    due_date: invoice.dueDate,
    description: invoice.description,
    next_retry_at: invoice.nextRetry?.at ?? null,
    retries_left: retriesLeft(invoice),
    retries_exhausted: (invoice.retriesExhausted ?? null) !== null,
  };
}
