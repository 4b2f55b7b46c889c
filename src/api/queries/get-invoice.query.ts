import { Query } from '@nestjs/cqrs';
import type { InvoiceView } from '../read-models/invoice-read-model.port';

/** One invoice; NotFoundError when there is none. */
export class GetInvoiceQuery extends Query<InvoiceView> {
  constructor(readonly invoiceId: string) {
    super();
  }
}
