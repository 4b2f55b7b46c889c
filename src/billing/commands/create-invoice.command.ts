import { Command } from '@nestjs/cqrs';
import type { Invoice, IssueInvoice } from '../domain';
import type { CreateResult } from './create-result';

/** A client's new invoice: issued only for a registered customer, in their currency. */
export class CreateInvoiceCommand extends Command<CreateResult<Invoice>> {
  constructor(
    readonly invoice: Omit<IssueInvoice, 'customer'>,
    /** Who asked (invariant 9): the API key's name; null when no request did (CLI import). */
    readonly apiKeyName: string | null = null,
  ) {
    super();
  }
}
