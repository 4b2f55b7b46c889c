import { Command } from '@nestjs/cqrs';
import type { InvoiceCommandResult } from './invoice-command-result';

export class VoidInvoiceCommand extends Command<InvoiceCommandResult> {
  constructor(
    readonly invoiceId: string,
    readonly reason: string,
  ) {
    super();
  }
}
