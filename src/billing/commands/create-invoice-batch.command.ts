import { Command } from '@nestjs/cqrs';
import type { Invoice, IssueInvoice } from '../domain';
import type { CreateResult } from './create-result';

/** Up to 1,000 new invoices, all or none (ids unique within the batch). */
export class CreateInvoiceBatchCommand extends Command<CreateResult<Invoice>[]> {
  constructor(
    readonly invoices: readonly Omit<IssueInvoice, 'customer'>[],
    /** Who asked (invariant 9): the API key's name; null when no request did (CLI import). */
    readonly apiKeyName: string | null = null,
  ) {
    super();
  }
}
