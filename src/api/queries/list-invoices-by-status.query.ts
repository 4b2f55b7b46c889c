import { Query } from '@nestjs/cqrs';
import type { InvoiceStatus } from '../../billing/domain';
import type { InvoicePage, InvoicePageRequest } from '../read-models/invoice-read-model.port';

/** The invoices in one status, by invoice id. */
export class ListInvoicesByStatusQuery extends Query<InvoicePage> {
  constructor(
    readonly status: InvoiceStatus,
    readonly request: InvoicePageRequest,
  ) {
    super();
  }
}
