import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResult } from '../../event-store/event-store.port';
import { BILLING_TUNING, type BillingTuning } from '../billing-tuning';
import { CommandExecutor, type WriteCause } from '../command-executor';
import { ConcurrentWritesError } from '../concurrent-writes.error';
import type { CustomerState, Invoice, InvoiceEvent, InvoiceState, IssueInvoice } from '../domain';
import { customerDecider } from '../store/customer-decider';
import { invoiceDecider } from '../store/invoice-decider';
import { evolveAll, StreamRepository, type LoadedStream } from '../store/stream-repository';
import { CreateInvoiceBatchCommand, type Malformed } from './create-invoice-batch.command';
import type { CreateResult } from './create-result';
import { InvoiceBatchRejectedError, type BatchRejection } from './invoice-batch-rejected.error';
import type { RegisteredCustomers } from './registered-customers';
import { clientCause } from './request-cause';

type Draft = Omit<IssueInvoice, 'customer'>;

/** One invoice of the batch as decided on one read of its stream. */
interface Decided {
  readonly draft: Draft;
  readonly current: LoadedStream<InvoiceState>;
  readonly events: readonly InvoiceEvent[];
}

/**
 * Decides every invoice of the batch on one read of their streams and their customers'
 * streams; if any is refused (or the caller found any entry malformed), nothing is
 * written and every problem is listed. Otherwise the new ones go in one appendAll, each
 * stream at the revision read: all are stored or none. When another writer changed one
 * of the streams meanwhile, the whole batch is read and decided again (bounded), so the
 * answer is always all written or nothing written with the reasons (docs/api.md). On
 * EventStoreDB appendAll is not atomic: what an earlier try stored stays (§1.2).
 */
@CommandHandler(CreateInvoiceBatchCommand)
export class CreateInvoiceBatchHandler implements ICommandHandler<CreateInvoiceBatchCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly streams: StreamRepository,
    @Inject(BILLING_TUNING) private readonly tuning: BillingTuning,
  ) {}

  async execute({
    invoices,
    apiKeyName,
    registeredCustomers,
    malformed,
  }: CreateInvoiceBatchCommand): Promise<CreateResult<Invoice>[]> {
    const cause = clientCause('CreateInvoiceBatchCommand', apiKeyName);
    const customers = await this.customersOf(invoices, registeredCustomers);
    /** Invoices an earlier try of this call stored (EventStoreDB only): issued by it. */
    const storedByUs = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      const decided = await this.decide(invoices, customers, cause, malformed);
      const writes = decided.filter((each) => each.events.length > 0);
      if (writes.length === 0) {
        return decided.map(({ draft, current }) => settled(draft, current, storedByUs));
      }
      const metadata = this.executor.metadata(cause);
      const outcome = await this.streams.appendAll(
        writes.map(({ draft, events, current }) =>
          this.streams.appendRequest(
            invoiceDecider,
            draft.invoiceId,
            events,
            current.revision,
            metadata,
          ),
        ),
      );
      if (outcome.success) {
        const appended = new Map(writes.map((write, i) => [write, outcome.results[i]]));
        return decided.map((each) => {
          const result = appended.get(each);
          return result ? issued(each, result) : settled(each.draft, each.current, storedByUs);
        });
      }
      for (const index of outcome.written) storedByUs.add(writes[index].draft.invoiceId);
      if (attempt > this.tuning.conflictRetries) {
        throw new ConcurrentWritesError(outcome.conflicts[0].stream, attempt);
      }
    }
  }

  /**
   * Every invoice decided on one read of their streams; throws the batch's refusal when
   * any is refused or the caller found any entry malformed.
   */
  private async decide(
    invoices: readonly Draft[],
    customers: ReadonlyMap<string, CustomerState>,
    cause: WriteCause,
    malformed: Malformed,
  ): Promise<Decided[]> {
    const loaded = await this.streams.loadMany(
      invoiceDecider,
      invoices.map((invoice) => invoice.invoiceId),
      cause.requestId,
    );
    const context = this.executor.context();
    const rejections: BatchRejection[] = [];
    const decided = invoices.map((draft, i) => {
      const current = loaded[i];
      if (current instanceof Error) throw current;
      // Issued by this keyed request before a crash: answered as it was, not decided again.
      if (current.doneByRequest) return { draft, current, events: [] };
      const command = { ...draft, customer: customers.get(draft.customerId) };
      const decision = invoiceDecider.decide(command, current.state, context);
      if (decision.ok) return { draft, current, events: decision.events };
      const index = malformed.indexes[i] ?? i;
      rejections.push({ index, invoiceId: draft.invoiceId, ...decision.error });
      return { draft, current, events: [] };
    });
    if (rejections.length > 0 || malformed.entries.length > 0) {
      throw new InvoiceBatchRejectedError(rejections, malformed.entries);
    }
    return decided;
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
}

/** An invoice this batch issued now. */
function issued({ current, events }: Decided, result: AppendResult): CreateResult<Invoice> {
  const state = evolveAll(invoiceDecider, current.state, events) as Invoice;
  return { created: true, state, revision: result.nextExpectedRevision, position: result.position };
}

/**
 * An invoice the batch found already issued with the same facts (not created), or issued
 * by this same keyed request before a crash, or by an earlier try of this call (created).
 */
function settled(
  draft: Draft,
  loaded: LoadedStream<InvoiceState>,
  storedByUs: ReadonlySet<string>,
): CreateResult<Invoice> {
  const done = loaded.doneByRequest;
  const { state, revision, position } = done ?? loaded;
  if (!state.exists || revision === 'no_stream' || position === null) {
    throw new Error(`invoice ${draft.invoiceId} is not stored after its batch`);
  }
  const created = done !== undefined || storedByUs.has(draft.invoiceId);
  return { created, state, revision, position };
}
