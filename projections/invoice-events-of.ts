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
  const groups = new Map<string, RecordedInvoiceEvent[]>();
  for (const each of events) {
    const group = groups.get(each.invoiceId);
    if (group) group.push(each);
    else groups.set(each.invoiceId, [each]);
  }
  return groups;
}
