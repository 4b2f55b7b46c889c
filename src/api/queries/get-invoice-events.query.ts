import { Query } from '@nestjs/cqrs';
import type { RecordedEvent } from '../../event-store/recorded-event';

/** The invoice's stream, oldest first; NotFoundError when the stream does not exist. */
export class GetInvoiceEventsQuery extends Query<RecordedEvent[]> {
  constructor(readonly invoiceId: string) {
    super();
  }
}
