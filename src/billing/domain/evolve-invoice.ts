import { deriveInvoiceStatus } from './derive-invoice-status';
import type { InvoiceEvent, InvoiceIssued } from './invoice-events';
import {
  initialInvoiceState,
  type ChargeAttemptRecord,
  type Invoice,
  type InvoiceState,
  type RetryStep,
} from './invoice-state';
import { StreamCorruptError } from './stream-corrupt.error';

/**
 * Applies one recorded fact. Facts are never refused for business reasons (a late
 * payment on a resolved invoice is still a payment); only a stream that cannot have been
 * written by decide throws StreamCorruptError.
 */
export function evolveInvoice(state: InvoiceState, event: InvoiceEvent): InvoiceState {
  if (event.type === 'InvoiceIssued') return issue(state, event);
  if (!state.exists)
    throw new StreamCorruptError('invoice', event.type, 'the invoice was never issued');
  return withDerivedFields(apply(state, event));
}

/** The state of a whole stream, from its events in order. */
export function foldInvoice(events: Iterable<InvoiceEvent>): InvoiceState {
  let state = initialInvoiceState;
  for (const event of events) state = evolveInvoice(state, event);
  return state;
}

function issue(state: InvoiceState, event: InvoiceIssued): Invoice {
  if (state.exists)
    throw new StreamCorruptError('invoice', event.type, 'the invoice was already issued');
  const { invoiceId, customerId, amount, issuedAt, dueDate, description } = event.data;
  return withDerivedFields({
    exists: true,
    invoiceId,
    customerId,
    amount,
    issuedAt,
    dueDate: dueDate ?? null,
    description: description ?? null,
    voidedAt: null,
    status: 'PENDING',
    attempts: [],
    openAttempt: null,
    lastFailure: null,
    requeuedAfterAttempt: 0,
    nextRetry: null,
    retriesExhausted: null,
  });
}

function apply(invoice: Invoice, event: Exclude<InvoiceEvent, InvoiceIssued>): Invoice {
  switch (event.type) {
    case 'ChargeAttempted':
      return {
        ...invoice,
        attempts: [...invoice.attempts, newAttempt(invoice, event.data)],
        nextRetry: null,
        retriesExhausted: null,
      };
    case 'ChargeRedriven':
      return updateAttempt(invoice, event, () => ({ lastDrivenAt: event.data.redrivenAt }));
    case 'InvoicePaid':
      return updateAttempt(invoice, event, (record) => ({
        outcome: record.outcome === 'OPEN' ? 'PAID' : record.outcome,
        providerSaid: 'PAID',
      }));
    case 'ChargeFailed': {
      const { attempt, reason, message, retryable, failedAt } = event.data;
      const failed = updateAttempt(invoice, event, (record) => ({
        outcome: record.outcome === 'OPEN' ? 'FAILED' : record.outcome,
        providerSaid: 'FAILED',
        failureReason: reason,
      }));
      return { ...failed, lastFailure: { attempt, reason, message, retryable, failedAt } };
    }
    case 'ChargeOutcomeUnknown':
      return updateAttempt(invoice, event, () => ({ outcome: 'UNKNOWN' }));
    case 'ChargeWithdrawn':
      return updateAttempt(invoice, event, (record) => ({
        outcome: record.outcome === 'OPEN' ? 'WITHDRAWN' : record.outcome,
      }));
    case 'InvoiceRequeued':
      return { ...invoice, requeuedAfterAttempt: invoice.attempts.length };
    case 'InvoiceResolved':
      return updateAttempt(invoice, event, () => ({ resolvedAs: event.data.outcome }));
    case 'InvoiceVoided':
      return { ...invoice, voidedAt: event.data.at };
    case 'RetryScheduled': {
      const { afterAttempt, retryNumber, at, reason, delay, policy, rule } = event.data;
      const nextRetry = { afterAttempt, retryNumber, at, reason, delay, policy, rule };
      const step = { kind: 'retry' as const, retryNumber, at, policy };
      return { ...scheduledAfter(invoice, afterAttempt, step), nextRetry, retriesExhausted: null };
    }
    case 'RetriesExhausted': {
      const { afterAttempt, retriesMade, reason, policy, at } = event.data;
      const retriesExhausted = { afterAttempt, retriesMade, reason, policy, at };
      const step = { kind: 'exhausted' as const, retriesMade, policy };
      return { ...scheduledAfter(invoice, afterAttempt, step), nextRetry: null, retriesExhausted };
    }
  }
}

function newAttempt(
  invoice: Invoice,
  data: Extract<InvoiceEvent, { type: 'ChargeAttempted' }>['data'],
): ChargeAttemptRecord {
  if (data.attempt !== invoice.attempts.length + 1) {
    throw new StreamCorruptError(
      'invoice',
      'ChargeAttempted',
      `attempt ${data.attempt} follows ${invoice.attempts.length} attempts`,
    );
  }
  const { attempt, idempotencyKey, runId, instanceId, attemptedAt } = data;
  return {
    retry: data.retry ?? 0,
    scheduledAfter: null,
    attempt,
    idempotencyKey,
    runId,
    instanceId,
    attemptedAt,
    lastDrivenAt: attemptedAt,
    outcome: 'OPEN',
    providerSaid: null,
    failureReason: null,
    resolvedAs: null,
  };
}

function scheduledAfter(invoice: Invoice, attempt: number, step: RetryStep): Invoice {
  const event = { type: 'RetryScheduled', data: { attempt } };
  return updateAttempt(invoice, event, () => ({ scheduledAfter: step }));
}

function updateAttempt(
  invoice: Invoice,
  event: { readonly type: string; readonly data: { readonly attempt: number } },
  change: (record: ChargeAttemptRecord) => Partial<ChargeAttemptRecord>,
): Invoice {
  const index = event.data.attempt - 1;
  const record = invoice.attempts[index];
  if (!record) {
    throw new StreamCorruptError(
      'invoice',
      event.type,
      `attempt ${event.data.attempt} was never made`,
    );
  }
  const attempts = invoice.attempts.map((each, i) =>
    i === index ? { ...record, ...change(record) } : each,
  );
  return { ...invoice, attempts };
}

function withDerivedFields(invoice: Invoice): Invoice {
  const status = deriveInvoiceStatus(
    invoice.attempts,
    invoice.requeuedAfterAttempt,
    // States folded before voids existed (stored read-model rows) have no voidedAt.
    (invoice.voidedAt ?? null) !== null,
  );
  // A schedule belongs to a FAILED invoice: a requeue, a void, a payment (a late truth,
  // a person's resolution) or a new attempt ends it. Stored states from before dunning
  // have neither field.
  const failed = status === 'FAILED';
  return {
    ...invoice,
    status,
    openAttempt: invoice.attempts.find((record) => record.outcome === 'OPEN') ?? null,
    nextRetry: failed ? (invoice.nextRetry ?? null) : null,
    retriesExhausted: failed ? (invoice.retriesExhausted ?? null) : null,
  };
}
