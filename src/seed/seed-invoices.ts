import {
  decideCustomer,
  decideInvoiceSequence,
  initialCustomerState,
  INVOICE_STREAM_PREFIX,
  type CustomerEvent,
  initialInvoiceState,
  type InvoiceCommand,
  type InvoiceEvent,
} from '../billing/domain';
import { eventMetadata } from '../billing/store/event-metadata';
import { customerDecider } from '../billing/store/customer-decider';
import { invoiceDecider } from '../billing/store/invoice-decider';
import { StreamRepository } from '../billing/store/stream-repository';
import type { AppendRequest, EventStore } from '../event-store/event-store.port';
import { NO_STREAM } from '../event-store/expected-revision';
import { demoInvoices, type SeededInvoice, type SeedOptions } from './demo-data-set';

export interface SeedProgress {
  readonly invoices: number;
  readonly total: number;
}

export interface SeedSummary {
  readonly customers: number;
  readonly invoices: number;
  readonly pending: number;
  readonly paid: number;
  /** Invoices whose stream already held other events: left as they were. */
  readonly skipped: number;
}

/** Invoices per multi-stream append: one transaction each. */
const BATCH = 500;
const SEED_RUN_ID = 'seed';

/**
 * Writes the data set through the domain, as the service would have: every customer is
 * registered, every invoice is
 * issued, and the paid ones carry a claim and a payment in a `seed` run, so their audit
 * trail reads like any other. Streams are created with `no_stream` and event ids are
 * named by their facts: repeating a seed stores nothing twice, and seeding never
 * rewrites an invoice that exists.
 */
export async function seedInvoices(
  store: EventStore,
  options: SeedOptions,
  context: { readonly now: string; readonly instanceId: string },
  onProgress: (progress: SeedProgress) => void = () => undefined,
): Promise<SeedSummary> {
  const total = options.customers * options.invoicesPerCustomer;
  // The same seed at the same instant is the same write: repeating it stores nothing.
  const metadata = eventMetadata(
    context.instanceId,
    { runId: SEED_RUN_ID, causation: 'seed', causationId: null },
    `seed-${context.now}`,
  );
  const registered = new Set<string>();
  const streams = new StreamRepository(store);
  let written = 0;
  let skipped = 0;
  let paid = 0;
  let batch: AppendRequest[] = [];
  const flush = async () => {
    const results = await store.appendMany(batch);
    const invoices = results.filter((result) => result.stream.startsWith(INVOICE_STREAM_PREFIX));
    skipped += invoices.filter((result) => !result.success).length;
    written += invoices.length;
    batch = [];
    onProgress({ invoices: written, total });
  };
  for (const invoice of demoInvoices(options)) {
    if (invoice.paid) paid += 1;
    if (!registered.has(invoice.customerId)) {
      registered.add(invoice.customerId);
      const customer = registration(invoice, context);
      batch.push(
        streams.appendRequest(customerDecider, invoice.customerId, customer, NO_STREAM, metadata),
      );
    }
    const events = historyOf(invoice, context);
    batch.push(
      streams.appendRequest(invoiceDecider, invoice.invoiceId, events, NO_STREAM, metadata),
    );
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  return {
    customers: options.customers,
    invoices: total - skipped,
    pending: total - paid,
    paid,
    skipped,
  };
}

/** The customer's registration, through the customer domain like any other. */
function registration(
  invoice: SeededInvoice,
  context: { readonly now: string; readonly instanceId: string },
): CustomerEvent[] {
  const decision = decideCustomer(
    {
      type: 'RegisterCustomer',
      customerId: invoice.customerId,
      currency: invoice.amount.currency,
      name: null,
      email: null,
    },
    initialCustomerState,
    context,
  );
  if (!decision.ok)
    throw new Error(`seeding customer ${invoice.customerId}: ${decision.error.message}`);
  return [...decision.events];
}

function historyOf(
  invoice: SeededInvoice,
  context: { readonly now: string; readonly instanceId: string },
): InvoiceEvent[] {
  const commands: InvoiceCommand[] = [
    {
      type: 'IssueInvoice',
      invoiceId: invoice.invoiceId,
      customerId: invoice.customerId,
      amount: invoice.amount,
    },
  ];
  if (invoice.paid) {
    commands.push(
      { type: 'ClaimCharge', invoiceId: invoice.invoiceId, runId: SEED_RUN_ID },
      {
        type: 'RecordChargeOutcome',
        invoiceId: invoice.invoiceId,
        attempt: 1,
        outcome: { kind: 'paid' },
      },
    );
  }
  const history = decideInvoiceSequence(commands, initialInvoiceState, context);
  if (!history.ok)
    throw new Error(`seeding invoice ${invoice.invoiceId}: ${history.error.message}`);
  return history.events;
}
