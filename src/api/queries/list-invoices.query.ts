import { Query } from '@nestjs/cqrs';
import type { InvoiceView, Page, PageRequest } from '../../../projections/read-models';

/** Every invoice, by invoice id. */
export class ListInvoicesQuery extends Query<Page<InvoiceView>> {
  constructor(readonly page: PageRequest) {
    super();
  }
}
