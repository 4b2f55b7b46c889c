import type { RecordedEvent } from '../../event-store/recorded-event';
import { StreamCorruptError, isInvoiceEventType, type InvoiceEvent } from '../domain';
import { deterministicEventId } from './deterministic-event-id';

/**
 * Each id names one fact, so a retried append is idempotent and a second writer of the
 * same fact collides: one issue and one void per invoice, one claim and one of each outcome per
 * attempt (its idempotency key), one requeue and one retry decision per failed attempt.
 */
export function invoiceEventId(event: InvoiceEvent, revision: bigint): string {
  switch (event.type) {
    case 'InvoiceIssued':
    case 'InvoiceVoided':
      return deterministicEventId(event.type, event.data.invoiceId);
    case 'InvoiceRequeued':
    case 'RetryScheduled':
    case 'RetriesExhausted':
      return deterministicEventId(
        event.type,
        event.data.invoiceId,
        String(event.data.afterAttempt),
      );
    case 'ChargeRedriven':
      return redriveEventId(event.data.idempotencyKey, revision);
    case 'ChargeAttempted':
    case 'InvoicePaid':
    case 'ChargeFailed':
    case 'ChargeOutcomeUnknown':
    case 'ChargeWithdrawn':
    case 'InvoiceResolved':
      return deterministicEventId(event.type, event.data.idempotencyKey);
  }
}

/** An attempt may be re-driven many times: each re-drive is named by where it lands. */
export function redriveEventId(idempotencyKey: string, revision: bigint): string {
  return deterministicEventId('ChargeRedriven', idempotencyKey, revision.toString());
}

/** A stored event of an invoice stream as a domain event; anything else is corruption. */
export function fromRecordedInvoiceEvent(recorded: RecordedEvent): InvoiceEvent {
  if (!isInvoiceEventType(recorded.type)) {
    throw new StreamCorruptError(
      'invoice',
      recorded.type,
      `stream ${recorded.stream} holds an event type the invoice domain does not know`,
    );
  }
  return { type: recorded.type, data: recorded.data } as unknown as InvoiceEvent;
}
