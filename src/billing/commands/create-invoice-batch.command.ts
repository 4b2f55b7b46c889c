import { Command } from '@nestjs/cqrs';
import type { Invoice, IssueInvoice } from '../domain';
import type { CreateResult } from './create-result';
import type { RegisteredCustomers } from './registered-customers';

/** Up to 1,000 new invoices, all or none (ids unique within the batch). */
export class CreateInvoiceBatchCommand extends Command<CreateResult<Invoice>[]> {
  constructor(
    readonly invoices: readonly Omit<IssueInvoice, 'customer'>[],
    /** Who asked (invariant 9): the API key's name; null when no request did (CLI import). */
    readonly apiKeyName: string | null = null,
    /** Customers known registered from earlier batches of the same import: not read again. */
    readonly registeredCustomers?: RegisteredCustomers,
  ) {
    super();
  }
}
