import { GetBillingRunHandler } from './get-billing-run.handler';
import { GetCustomerHandler } from './get-customer.handler';
import { GetInvoiceEventsHandler } from './get-invoice-events.handler';
import { GetInvoiceFailuresHandler } from './get-invoice-failures.handler';
import { GetInvoiceHandler } from './get-invoice.handler';
import { ListBillingRunsHandler } from './list-billing-runs.handler';
import { ListCustomersHandler } from './list-customers.handler';
import { ListInvoicesByRetryHandler } from './list-invoices-by-retry.handler';
import { ListInvoicesByStatusHandler } from './list-invoices-by-status.handler';
import { ListInvoicesHandler } from './list-invoices.handler';

/** Every query the REST API serves; all but the events query read read models only. */
export const QUERY_HANDLERS = [
  ListInvoicesHandler,
  ListInvoicesByStatusHandler,
  ListInvoicesByRetryHandler,
  GetInvoiceHandler,
  GetInvoiceFailuresHandler,
  GetInvoiceEventsHandler,
  ListCustomersHandler,
  GetCustomerHandler,
  ListBillingRunsHandler,
  GetBillingRunHandler,
];
