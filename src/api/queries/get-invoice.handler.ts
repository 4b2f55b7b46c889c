import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  INVOICE_READ_MODEL,
  type InvoiceReadModel,
  type InvoiceView,
} from '../read-models/invoice-read-model.port';
import { NotFoundError } from '../errors/not-found.error';
import { GetInvoiceQuery } from './get-invoice.query';

@QueryHandler(GetInvoiceQuery)
export class GetInvoiceHandler implements IQueryHandler<GetInvoiceQuery> {
  constructor(@Inject(INVOICE_READ_MODEL) private readonly invoices: InvoiceReadModel) {}

  async execute({ invoiceId }: GetInvoiceQuery): Promise<InvoiceView> {
    const invoice = await this.invoices.get(invoiceId);
    if (!invoice) throw invoiceNotFound(invoiceId);
    return invoice;
  }
}

export function invoiceNotFound(invoiceId: string): NotFoundError {
  return new NotFoundError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`);
}
