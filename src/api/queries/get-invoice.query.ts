import { Query } from '@nestjs/cqrs';
import type { InvoiceView } from '../../../projections/read-models';

/** One invoice; NotFoundError when there is none. */
export class GetInvoiceQuery extends Query<InvoiceView> {
  constructor(readonly invoiceId: string) {
    super();
  }
}
