import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendRequest } from '../../event-store/event-store.port';
import { CommandExecutor, type WriteCause } from '../command-executor';
import type { CustomerState, Invoice, InvoiceState, IssueInvoice } from '../domain';
import { customerDecider } from '../store/customer-decider';
import { invoiceDecider } from '../store/invoice-decider';
import { evolveAll, StreamRepository, type LoadedStream } from '../store/stream-repository';
import { CreateInvoiceBatchCommand } from './create-invoice-batch.command';
import { toCreateResult, type CreateResult } from './create-result';
import { InvoiceBatchRejectedError, type BatchRejection } from './invoice-batch-rejected.error';
import { InvoiceCommandError } from './invoice-command.error';
import type { RegisteredCustomers } from './registered-customers';
import { clientCause } from './request-cause';

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

  async execute({
    invoices,
    apiKeyName,
    registeredCustomers,
  }: CreateInvoiceBatchCommand): Promise<CreateResult<Invoice>[]> {
    const cause = clientCause('CreateInvoiceBatchCommand', apiKeyName);
    const customers = await this.customersOf(invoices, registeredCustomers);
    const loaded = await this.streams.loadMany(
      invoiceDecider,
      invoices.map((invoice) => invoice.invoiceId),
      cause.requestId,
    );
    const context = this.executor.context();
    const rejections: BatchRejection[] = [];
    const decided = invoices.map((draft, index) => {
      const current = loaded[index];
      if (current instanceof Error) throw current;
      const command = { ...draft, customer: customers.get(draft.customerId) };
      // Issued by this keyed request before a crash: answered as it was, not decided again.
      if (current.doneByRequest) return { draft, command, current, events: [] };
      const decision = invoiceDecider.decide(command, current.state, context);
      if (!decision.ok) rejections.push({ index, invoiceId: draft.invoiceId, ...decision.error });
      return { draft, command, current, events: decision.ok ? decision.events : [] };
    });
    if (rejections.length > 0) throw new InvoiceBatchRejectedError(rejections);

    const metadata = this.executor.metadata(cause);
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
        if (!result) return settled(draft, current);
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
        return this.createAlone(command, cause);
      }),
    );
  }

  /** The customers the batch names: from `known` if there, else read (and remembered). */
  private async customersOf(
    invoices: readonly Draft[],
    known?: RegisteredCustomers,
  ): Promise<Map<string, CustomerState>> {
    const customers = new Map<string, CustomerState>();
    const unknown = new Set<string>();
    for (const { customerId } of invoices) {
      const customer = known?.get(customerId);
      if (customer) customers.set(customerId, customer);
      else unknown.add(customerId);
    }
    if (unknown.size === 0) return customers;
    const ids = [...unknown];
    const loaded = await this.streams.loadMany(customerDecider, ids);
    ids.forEach((id, i) => {
      const customer = loaded[i];
      if (customer instanceof Error) throw customer;
      customers.set(id, customer.state);
      known?.remember(id, customer.state);
    });
    return customers;
  }

  private async createAlone(
    command: IssueInvoice,
    cause: WriteCause,
  ): Promise<CreateResult<Invoice>> {
    const outcome = await this.executor.execute(invoiceDecider, command, cause);
    if (!outcome.ok) throw new InvoiceCommandError(outcome.error.code, outcome.error.message);
    const result = toCreateResult(outcome);
    if (!result.state.exists) throw new Error(`invoice ${command.invoiceId} vanished`);
    return { ...result, state: result.state };
  }
}

/**
 * An invoice the batch found already issued with the same facts (not created), or issued
 * by this same keyed request before a crash (created, as that request left it).
 */
function settled(draft: Draft, loaded: LoadedStream<InvoiceState>): CreateResult<Invoice> {
  const done = loaded.doneByRequest;
  const { state, revision, position } = done ?? loaded;
  if (!state.exists || revision === 'no_stream' || position === null) {
    throw new Error(`invoice ${draft.invoiceId} is not stored after its batch`);
  }
  return { created: done !== undefined, state, revision, position };
}
