import { Command } from '@nestjs/cqrs';
import type { InvoiceCommandResult } from './invoice-command-result';

export class VoidInvoiceCommand extends Command<InvoiceCommandResult> {
  constructor(
    readonly invoiceId: string,
    readonly reason: string,
    /** Who asked (invariant 9): the API key's name; null when no request did. */
    readonly apiKeyName: string | null = null,
  ) {
    super();
  }
}
