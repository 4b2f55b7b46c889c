import { Query } from '@nestjs/cqrs';
import type { FailureView, InvoiceView } from '../read-models/invoice-read-model.port';

export interface InvoiceFailures {
  readonly invoice: InvoiceView;
  /** Oldest first. */
  readonly failures: readonly FailureView[];
}

/** An invoice's failure history; NotFoundError when there is no such invoice. */
export class GetInvoiceFailuresQuery extends Query<InvoiceFailures> {
  constructor(readonly invoiceId: string) {
    super();
  }
}
