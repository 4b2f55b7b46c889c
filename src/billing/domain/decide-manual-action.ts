import { chargeStage } from './charge-stage';
import { accept, reject } from './decision';
import type { DecideContext } from './decide-context';
import type { RequeueInvoice, ResolveInvoice } from './invoice-commands';
import type { InvoiceDecision } from './invoice-error-code';
import type { CancelledRetry } from './invoice-events';
import { latestAttempt, type Invoice } from './invoice-state';

/**
 * Requeue only from FAILED: a PENDING or PROCESSING invoice is already on its way, a PAID
 * one must never be charged again, and an UNKNOWN one may have been charged: it is
 * resolved by a person first, never requeued blindly (docs/design.md §4.4).
 */
export function decideRequeue(
  command: RequeueInvoice,
  invoice: Invoice,
  context: DecideContext,
): InvoiceDecision {
  if (invoice.status !== 'FAILED') {
    return reject(
      'NOT_FAILED',
      `invoice ${invoice.invoiceId} is ${invoice.status}; only FAILED invoices can be requeued` +
        (invoice.status === 'UNKNOWN' ? ' (resolve it first: it may have been charged)' : ''),
    );
  }
  return accept({
    type: 'InvoiceRequeued',
    data: {
      invoiceId: invoice.invoiceId,
      afterAttempt: invoice.attempts.length,
      requestedBy: command.requestedBy ?? null,
      note: command.note ?? null,
      instanceId: context.instanceId,
      at: context.now,
      ...cancelledRetry(invoice),
    },
  });
}

/**
 * A manual action wins over the schedule: the requeue or void that ends a FAILED invoice's
 * scheduled retry names it, so the log says which retry never ran and why.
 */
export function cancelledRetry(invoice: Invoice): { cancelledRetry?: CancelledRetry } {
  const next = invoice.status === 'FAILED' ? (invoice.nextRetry ?? null) : null;
  return next ? { cancelledRetry: { retryNumber: next.retryNumber, at: next.at } } : {};
}

/** Resolve only from UNKNOWN: it settles the latest attempt, which nobody has answered. */
export function decideResolve(
  command: ResolveInvoice,
  invoice: Invoice,
  context: DecideContext,
): InvoiceDecision {
  const record = latestAttempt(invoice);
  if (invoice.status !== 'UNKNOWN' || !record) {
    return reject(
      'NOT_UNKNOWN',
      `invoice ${invoice.invoiceId} is ${invoice.status}; only UNKNOWN invoices can be resolved`,
    );
  }
  if (command.attempt !== undefined && command.attempt !== record.attempt) {
    return reject(
      'ATTEMPT_MISMATCH',
      `invoice ${invoice.invoiceId} is UNKNOWN at attempt ${record.attempt}, not ${command.attempt}; reload and check again`,
    );
  }
  if (command.note.trim() === '') {
    return reject('INVALID_COMMAND', 'a note is required: say how the outcome was established');
  }
  return accept({
    type: 'InvoiceResolved',
    data: {
      ...chargeStage(invoice, record, context),
      outcome: command.outcome,
      note: command.note,
      resolvedBy: command.resolvedBy ?? null,
      at: context.now,
    },
  });
}
