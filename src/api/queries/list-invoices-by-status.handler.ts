import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  INVOICE_READ_MODEL,
  type InvoicePage,
  type InvoiceReadModel,
} from '../read-models/invoice-read-model.port';
import { ListInvoicesByStatusQuery } from './list-invoices-by-status.query';

@QueryHandler(ListInvoicesByStatusQuery)
export class ListInvoicesByStatusHandler implements IQueryHandler<ListInvoicesByStatusQuery> {
  constructor(@Inject(INVOICE_READ_MODEL) private readonly invoices: InvoiceReadModel) {}

  execute({ status, request }: ListInvoicesByStatusQuery): Promise<InvoicePage> {
    return this.invoices.byStatus(status, request);
  }
}
