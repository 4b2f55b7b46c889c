import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  INVOICE_READ_MODEL,
  type InvoicePage,
  type InvoiceReadModel,
} from '../read-models/invoice-read-model.port';
import { ListInvoicesQuery } from './list-invoices.query';

@QueryHandler(ListInvoicesQuery)
export class ListInvoicesHandler implements IQueryHandler<ListInvoicesQuery> {
  constructor(@Inject(INVOICE_READ_MODEL) private readonly invoices: InvoiceReadModel) {}

  execute({ request }: ListInvoicesQuery): Promise<InvoicePage> {
    return this.invoices.list(request);
  }
}
