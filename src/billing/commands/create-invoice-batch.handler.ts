import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendRequest } from '../../event-store/event-store.port';
import { CommandExecutor } from '../command-executor';
import type { CustomerState, Invoice, InvoiceState, IssueInvoice } from '../domain';
import { customerDecider } from '../store/customer-decider';
import { invoiceDecider } from '../store/invoice-decider';
import { evolveAll, StreamRepository, type LoadedStream } from '../store/stream-repository';
import { CreateInvoiceBatchCommand } from './create-invoice-batch.command';
import { toCreateResult, type CreateResult } from './create-result';
import { InvoiceBatchRejectedError, type BatchRejection } from './invoice-batch-rejected.error';
import { InvoiceCommandError } from './invoice-command.error';

type Draft = Omit<IssueInvoice, 'customer'>;

/**
 * Decides every invoice of the batch first (one read of their streams and of their
 * customers' streams); if any is refused, nothing is written and every refusal is
 * listed. Otherwise the new ones go in one appendMany, each stream at the revision read.
 */
@CommandHandler(CreateInvoiceBatchCommand)
export class CreateInvoiceBatchHandler implements ICommandHandler<CreateInvoiceBatchCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly streams: StreamRepository,
  ) {}

  async execute({ invoices }: CreateInvoiceBatchCommand): Promise<CreateResult<Invoice>[]> {
    const customers = await this.customersOf(invoices);
    const loaded = await this.streams.loadMany(
      invoiceDecider,
      invoices.map((invoice) => invoice.invoiceId),
    );
    const context = this.executor.context();
    const rejections: BatchRejection[] = [];
    const decided = invoices.map((draft, index) => {
      const current = loaded[index];
      if (current instanceof Error) throw current;
      const command = { ...draft, customer: customers.get(draft.customerId) };
      const decision = invoiceDecider.decide(command, current.state, context);
      if (!decision.ok) rejections.push({ index, invoiceId: draft.invoiceId, ...decision.error });
      return { draft, command, current, events: decision.ok ? decision.events : [] };
    });
    if (rejections.length > 0) throw new InvoiceBatchRejectedError(rejections);

    const metadata = this.executor.metadata({
      runId: null,
      causation: 'CreateInvoiceBatchCommand',
      causationId: null,
    });
    const writes = decided.filter((each) => each.events.length > 0);
    const requests: AppendRequest[] = writes.map(({ draft, events, current }) =>
      this.streams.appendRequest(
        invoiceDecider,
        draft.invoiceId,
        events,
        current.revision,
        metadata,
      ),
    );
    const appended = requests.length > 0 ? await this.streams.appendMany(requests) : [];
    const byId = new Map(writes.map((write, i) => [write.draft.invoiceId, appended[i]]));
    return Promise.all(
      decided.map(async ({ draft, command, current, events }) => {
        const result = byId.get(draft.invoiceId);
        if (!result) return settled(draft, current, false);
        if (result.success) {
          const state = evolveAll(invoiceDecider, current.state, events) as Invoice;
          return {
            created: true,
            state,
            revision: result.nextExpectedRevision,
            position: result.position,
          };
        }
        // Another writer created this invoice meanwhile: decide again on what it wrote.
        return this.createAlone(command);
      }),
    );
  }

  private async customersOf(invoices: readonly Draft[]): Promise<Map<string, CustomerState>> {
    const ids = [...new Set(invoices.map((invoice) => invoice.customerId))];
    const loaded = await this.streams.loadMany(customerDecider, ids);
    return new Map(
      ids.map((id, i) => {
        const customer = loaded[i];
        if (customer instanceof Error) throw customer;
        return [id, customer.state];
      }),
    );
  }

  private async createAlone(command: IssueInvoice): Promise<CreateResult<Invoice>> {
    const outcome = await this.executor.execute(invoiceDecider, command, {
      runId: null,
      causation: 'CreateInvoiceBatchCommand',
      causationId: null,
    });
    if (!outcome.ok) throw new InvoiceCommandError(outcome.error.code, outcome.error.message);
    const result = toCreateResult(outcome);
    if (!result.state.exists) throw new Error(`invoice ${command.invoiceId} vanished`);
    return { ...result, state: result.state };
  }
}

/** An invoice the batch found already issued with the same facts. */
function settled(
  draft: Draft,
  loaded: LoadedStream<InvoiceState>,
  created: boolean,
): CreateResult<Invoice> {
  const { revision, position } = loaded;
  if (!loaded.state.exists || revision === 'no_stream' || position === null) {
    throw new Error(`invoice ${draft.invoiceId} is not stored after its batch`);
  }
  return { created, state: loaded.state, revision, position };
}
