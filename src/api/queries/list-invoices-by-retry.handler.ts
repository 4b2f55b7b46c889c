import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  INVOICE_READ_MODEL,
  type InvoicePage,
  type InvoiceReadModel,
} from '../read-models/invoice-read-model.port';
import { ListInvoicesByRetryQuery } from './list-invoices-by-retry.query';

@QueryHandler(ListInvoicesByRetryQuery)
export class ListInvoicesByRetryHandler implements IQueryHandler<ListInvoicesByRetryQuery> {
  constructor(@Inject(INVOICE_READ_MODEL) private readonly invoices: InvoiceReadModel) {}

  execute({ list, request }: ListInvoicesByRetryQuery): Promise<InvoicePage> {
    return this.invoices.byRetry(list, request);
  }
}
