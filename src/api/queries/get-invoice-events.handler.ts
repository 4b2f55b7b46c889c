import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { invoiceStream } from '../../billing/domain';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import type { RecordedEvent } from '../../event-store/recorded-event';
import { invoiceNotFound } from './get-invoice.handler';
import { GetInvoiceEventsQuery } from './get-invoice-events.query';

/**
 * The audit trail: the one query that reads the event log rather than a read model, so
 * it shows every event the moment it is stored, including ones no projection keeps.
 */
@QueryHandler(GetInvoiceEventsQuery)
export class GetInvoiceEventsHandler implements IQueryHandler<GetInvoiceEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async execute({ invoiceId }: GetInvoiceEventsQuery): Promise<RecordedEvent[]> {
    const events = await this.eventStore.readStream(invoiceStream(invoiceId), {
      direction: 'forwards',
    });
    if (events.length === 0) throw invoiceNotFound(invoiceId);
    return events;
  }
}
