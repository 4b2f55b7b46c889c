import { Query } from '@nestjs/cqrs';
import type { InvoicePage, InvoicePageRequest } from '../read-models/invoice-read-model.port';

/** Every invoice, by invoice id. */
export class ListInvoicesQuery extends Query<InvoicePage> {
  constructor(readonly request: InvoicePageRequest) {
    super();
  }
}
