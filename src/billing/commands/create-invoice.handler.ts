import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../command-executor';
import type { Invoice } from '../domain';
import { customerDecider } from '../store/customer-decider';
import { invoiceDecider } from '../store/invoice-decider';
import { StreamRepository } from '../store/stream-repository';
import { CreateInvoiceCommand } from './create-invoice.command';
import { toCreateResult, type CreateResult } from './create-result';
import { InvoiceCommandError } from './invoice-command.error';
import { clientCause } from './request-cause';

/**
 * Reads the customer's stream (the write side: a customer is registered once and never
 * changes currency, so what is read stays true) and the invoice's in one read of the
 * store, then issues the invoice through the executor with both.
 */
@CommandHandler(CreateInvoiceCommand)
export class CreateInvoiceHandler implements ICommandHandler<CreateInvoiceCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly streams: StreamRepository,
  ) {}

  async execute({ invoice, apiKeyName }: CreateInvoiceCommand): Promise<CreateResult<Invoice>> {
    const cause = clientCause('CreateInvoiceCommand', apiKeyName);
    const [customer, loaded] = await this.streams.loadBoth(
      { decider: customerDecider, id: invoice.customerId },
      { decider: invoiceDecider, id: invoice.invoiceId, requestId: cause.requestId },
    );
    const outcome = await this.executor.execute(
      invoiceDecider,
      { ...invoice, customer: customer.state },
      cause,
      loaded,
    );
    if (!outcome.ok) throw new InvoiceCommandError(outcome.error.code, outcome.error.message);
    const result = toCreateResult(outcome);
    if (!result.state.exists) throw new Error(`invoice ${invoice.invoiceId} vanished`);
    return { ...result, state: result.state };
  }
}
