import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../command-executor';
import type { InvoiceCommandResult } from './invoice-command-result';
import { runInvoiceCommand } from './invoice-command-outcome';
import { requestCause } from './request-cause';
import { ResolveInvoiceCommand } from './resolve-invoice.command';

@CommandHandler(ResolveInvoiceCommand)
export class ResolveInvoiceHandler implements ICommandHandler<ResolveInvoiceCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute(command: ResolveInvoiceCommand): Promise<InvoiceCommandResult> {
    const { invoiceId, outcome, note, resolvedBy, apiKeyName } = command;
    return runInvoiceCommand(
      this.executor,
      {
        type: 'ResolveInvoice',
        invoiceId,
        outcome,
        note,
        ...(resolvedBy === null ? {} : { resolvedBy }),
      },
      {
        runId: null,
        causation: 'ResolveInvoiceCommand',
        causationId: null,
        ...(apiKeyName === null ? {} : { apiKeyName }),
        ...requestCause(),
      },
    );
  }
}
