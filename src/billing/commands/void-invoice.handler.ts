import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../command-executor';
import type { InvoiceCommandResult } from './invoice-command-result';
import { runInvoiceCommand } from './invoice-command-outcome';
import { clientCause } from './request-cause';
import { VoidInvoiceCommand } from './void-invoice.command';

@CommandHandler(VoidInvoiceCommand)
export class VoidInvoiceHandler implements ICommandHandler<VoidInvoiceCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ invoiceId, reason, apiKeyName }: VoidInvoiceCommand): Promise<InvoiceCommandResult> {
    return runInvoiceCommand(
      this.executor,
      { type: 'VoidInvoice', invoiceId, reason },
      clientCause('VoidInvoiceCommand', apiKeyName),
    );
  }
}
