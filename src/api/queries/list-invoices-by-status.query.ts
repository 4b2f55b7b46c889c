import { Query } from '@nestjs/cqrs';
import type { InvoiceStatus } from '../../billing/domain';
import type { InvoiceView, Page, PageRequest } from '../../../projections/read-models';

/** The invoices in one status, by invoice id. */
export class ListInvoicesByStatusQuery extends Query<Page<InvoiceView>> {
  constructor(
    readonly status: InvoiceStatus,
    readonly page: PageRequest,
  ) {
    super();
  }
}
