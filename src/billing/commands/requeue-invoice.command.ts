import { Command } from '@nestjs/cqrs';
import type { InvoiceCommandResult } from './invoice-command-result';

/** FAILED back to PENDING, for the next run. */
export class RequeueInvoiceCommand extends Command<InvoiceCommandResult> {
  constructor(
    readonly invoiceId: string,
    readonly requestedBy: string | null,
    readonly note: string | null,
    /** Who asked (invariant 9): the API key's name; null when no request did. */
    readonly apiKeyName: string | null = null,
  ) {
    super();
  }
}
