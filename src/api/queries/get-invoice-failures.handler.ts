import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { INVOICE_READ_MODEL, type InvoiceReadModel } from '../read-models/invoice-read-model.port';
import { invoiceNotFound } from './get-invoice.handler';
import { GetInvoiceFailuresQuery, type InvoiceFailures } from './get-invoice-failures.query';

@QueryHandler(GetInvoiceFailuresQuery)
export class GetInvoiceFailuresHandler implements IQueryHandler<GetInvoiceFailuresQuery> {
  constructor(@Inject(INVOICE_READ_MODEL) private readonly invoices: InvoiceReadModel) {}

  async execute({ invoiceId }: GetInvoiceFailuresQuery): Promise<InvoiceFailures> {
    const [invoice, failures] = await Promise.all([
      this.invoices.get(invoiceId),
      this.invoices.failures(invoiceId),
    ]);
    if (!invoice || !failures) throw invoiceNotFound(invoiceId);
    return { invoice, failures };
  }
}
