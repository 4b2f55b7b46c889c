import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../command-executor';
import type { InvoiceCommandResult } from './invoice-command-result';
import { runInvoiceCommand } from './invoice-command-outcome';
import { requestCause } from './request-cause';
import { IssueInvoiceCommand } from './issue-invoice.command';

@CommandHandler(IssueInvoiceCommand)
export class IssueInvoiceHandler implements ICommandHandler<IssueInvoiceCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute(command: IssueInvoiceCommand): Promise<InvoiceCommandResult> {
    const { invoiceId, customerId, amount } = command;
    return runInvoiceCommand(
      this.executor,
      { type: 'IssueInvoice', invoiceId, customerId, amount },
      { runId: null, causation: 'IssueInvoiceCommand', causationId: null, ...requestCause() },
    );
  }
}
