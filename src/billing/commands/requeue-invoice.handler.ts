import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InvoiceCommandExecutor } from '../invoice-command-executor';
import type { InvoiceCommandResult } from './invoice-command-result';
import { runInvoiceCommand } from './invoice-command-outcome';
import { RequeueInvoiceCommand } from './requeue-invoice.command';

@CommandHandler(RequeueInvoiceCommand)
export class RequeueInvoiceHandler implements ICommandHandler<RequeueInvoiceCommand> {
  constructor(private readonly executor: InvoiceCommandExecutor) {}

  execute(command: RequeueInvoiceCommand): Promise<InvoiceCommandResult> {
    const { invoiceId, requestedBy, note } = command;
    return runInvoiceCommand(
      this.executor,
      {
        type: 'RequeueInvoice',
        invoiceId,
        ...(requestedBy === null ? {} : { requestedBy }),
        ...(note === null ? {} : { note }),
      },
      { runId: null, causation: 'RequeueInvoiceCommand', causationId: null },
    );
  }
}
