import { Query } from '@nestjs/cqrs';
import type {
  InvoicePage,
  InvoicePageRequest,
  RetryList,
} from '../read-models/invoice-read-model.port';

/** The invoices awaiting an automatic retry, or whose retries are exhausted, by invoice id. */
export class ListInvoicesByRetryQuery extends Query<InvoicePage> {
  constructor(
    readonly list: RetryList,
    readonly request: InvoicePageRequest,
  ) {
    super();
  }
}
