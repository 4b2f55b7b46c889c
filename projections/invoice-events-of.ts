import { groupBy } from '../src/shared/group-by';
import { isInvoiceEventType, parseInvoiceStream, type InvoiceEvent } from '../src/billing/domain';
import type { RecordedEvent } from '../src/event-store/recorded-event';

export interface RecordedInvoiceEvent {
  readonly invoiceId: string;
  readonly recorded: RecordedEvent;
  readonly event: InvoiceEvent;
}

/** The invoice events of a batch, in log order; other streams and types are skipped. */
export function invoiceEventsOf(events: readonly RecordedEvent[]): RecordedInvoiceEvent[] {
  const found: RecordedInvoiceEvent[] = [];
  for (const recorded of events) {
    const invoiceId = parseInvoiceStream(recorded.stream);
    if (invoiceId === null || !isInvoiceEventType(recorded.type)) continue;
    // The store holds what decide produced; the data's shape is the event type's.
    const event = { type: recorded.type, data: recorded.data } as unknown as InvoiceEvent;
    found.push({ invoiceId, recorded, event });
  }
  return found;
}

/** Groups by invoice, keeping each invoice's events in log (= revision) order. */
export function groupByInvoice(
  events: readonly RecordedInvoiceEvent[],
): Map<string, RecordedInvoiceEvent[]> {
  return groupBy(events, (each) => each.invoiceId);
}
