import {
  evolveBillingRun,
  evolveInvoice,
  initialBillingRunState,
  initialInvoiceState,
  parseBillingRunStream,
  parseCustomerStream,
  type BillingRunEvent,
  type CustomerRegistered,
  type BillingRunState,
  type InvoiceState,
} from '../../src/billing/domain';
import type { RecordedEvent } from '../../src/event-store/recorded-event';
import { invoiceEventsOf } from '../invoice-events-of';

export interface ReplayedInvoice {
  readonly state: InvoiceState;
  readonly revision: bigint;
  readonly updatedAt: Date;
}

/**
 * The log folded with the domain alone (evolveInvoice, evolveBillingRun, registrations): what every
 * read model must equal. Kept in memory: fine for audits of up to a few hundred
 * thousand invoices; beyond that compare a rebuild (rebuildProjections) instead.
 */
export class ReplayedLog {
  readonly invoices = new Map<string, ReplayedInvoice>();
  readonly runs = new Map<string, BillingRunState>();
  /** Registered customers, by id, as registered. */
  readonly customers = new Map<string, CustomerRegistered['data']>();
  /** Every invoice event, for the failure history. */
  readonly invoiceEvents: RecordedEvent[] = [];

  apply(events: readonly RecordedEvent[]): void {
    for (const { invoiceId, recorded, event } of invoiceEventsOf(events)) {
      const current = this.invoices.get(invoiceId)?.state ?? initialInvoiceState;
      this.invoices.set(invoiceId, {
        state: evolveInvoice(current, event),
        revision: recorded.revision,
        updatedAt: recorded.createdAt,
      });
      this.invoiceEvents.push(recorded);
    }
    for (const recorded of events) {
      if (recorded.type === 'CustomerRegistered' && parseCustomerStream(recorded.stream)) {
        const registered = recorded.data as CustomerRegistered['data'];
        this.customers.set(registered.customerId, registered);
      }
      const run = parseBillingRunStream(recorded.stream);
      if (!run || (recorded.type !== 'BillingStarted' && recorded.type !== 'BillingCompleted'))
        continue;
      const event = { type: recorded.type, data: recorded.data } as unknown as BillingRunEvent;
      this.runs.set(
        run.runId,
        evolveBillingRun(this.runs.get(run.runId) ?? initialBillingRunState, event),
      );
    }
  }
}
