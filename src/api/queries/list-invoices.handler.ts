import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  INVOICE_READ_MODEL,
  type InvoiceReadModel,
  type InvoiceView,
  type Page,
} from '../../../projections/read-models';
import { ListInvoicesQuery } from './list-invoices.query';

@QueryHandler(ListInvoicesQuery)
export class ListInvoicesHandler implements IQueryHandler<ListInvoicesQuery> {
  constructor(@Inject(INVOICE_READ_MODEL) private readonly invoices: InvoiceReadModel) {}

  execute({ page }: ListInvoicesQuery): Promise<Page<InvoiceView>> {
    return this.invoices.list(page);
  }
}
