import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../command-executor';
import type { InvoiceCommandResult } from './invoice-command-result';
import { runInvoiceCommand } from './invoice-command-outcome';
import { requestCause } from './request-cause';
import { RequeueInvoiceCommand } from './requeue-invoice.command';

@CommandHandler(RequeueInvoiceCommand)
export class RequeueInvoiceHandler implements ICommandHandler<RequeueInvoiceCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute(command: RequeueInvoiceCommand): Promise<InvoiceCommandResult> {
    const { invoiceId, requestedBy, note, apiKeyName } = command;
    return runInvoiceCommand(
      this.executor,
      {
        type: 'RequeueInvoice',
        invoiceId,
        ...(requestedBy === null ? {} : { requestedBy }),
        ...(note === null ? {} : { note }),
      },
      {
        runId: null,
        causation: 'RequeueInvoiceCommand',
        causationId: null,
        ...(apiKeyName === null ? {} : { apiKeyName }),
        ...requestCause(),
      },
    );
  }
}
