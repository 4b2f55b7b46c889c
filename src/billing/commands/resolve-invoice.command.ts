import { Command } from '@nestjs/cqrs';
import type { InvoiceCommandResult } from './invoice-command-result';

/** A person checked with the provider and settles an UNKNOWN outcome. */
export class ResolveInvoiceCommand extends Command<InvoiceCommandResult> {
  constructor(
    readonly invoiceId: string,
    readonly outcome: 'PAID' | 'FAILED',
    readonly note: string,
    readonly resolvedBy: string | null,
    /** Who asked (invariant 9): the API key's name; null when no request did. */
    readonly apiKeyName: string | null = null,
  ) {
    super();
  }
}
