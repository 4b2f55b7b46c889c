import { Command } from '@nestjs/cqrs';
import type { Money } from '../domain';
import type { InvoiceCommandResult } from './invoice-command-result';

export class IssueInvoiceCommand extends Command<InvoiceCommandResult> {
  constructor(
    readonly invoiceId: string,
    readonly customerId: string,
    readonly amount: Money,
  ) {
    super();
  }
}
