import { fromMinorUnits, toMinorUnits, type Currency, type Money } from '../../../src/shared/money';
import {
  attemptStanding,
  evolveAttemptFacts,
  type AttemptFacts,
} from '../../../projections/billing-runs/attempt-standing';
import { invoiceEventsOf } from '../../../projections/invoice-events-of';
import { toFailureRow } from '../../../projections/invoice-failures/invoice-failures.projection';
import type { BillingRunView } from '../../../src/api/read-models/billing-run-read-model.port';
import type { CustomerView } from '../../../src/api/read-models/customer-read-model.port';
import type {
  FailureView,
  InvoiceView,
} from '../../../src/api/read-models/invoice-read-model.port';
import {
  evolveInvoice,
  initialInvoiceState,
  parseBillingRunStream,
  parseCustomerStream,
  retriesLeft,
  type BillingRunEvent,
  type CustomerRegistered,
  type Invoice,
  type InvoiceEvent,
  type InvoiceState,
} from '../../../src/billing/domain';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';

export type RunRow = Omit<BillingRunView, 'counts' | 'collected'>;
export type RunCounts = { -readonly [K in keyof BillingRunView['counts']]: number };

const NO_COUNTS: RunCounts = { processing: 0, paid: 0, failed: 0, unknown: 0 };

/**
 * The rows the projections keep, in memory, folded from events with the same domain
 * functions: what the in-memory read models read. A test may also put rows directly, as
 * a test of the SQL read models could insert them; only rows folded from events carry
 * the domain state (`states`) that scans return.
 */
export class ReadModelTables {
  readonly invoices = new Map<string, InvoiceView>();
  readonly states = new Map<string, { readonly state: InvoiceState; readonly revision: bigint }>();
  readonly failures = new Map<string, FailureView[]>();
  readonly customers = new Map<string, CustomerView>();
  readonly runs = new Map<string, RunRow>();
  /** Kept apart from the runs, as the projection does: attempts may precede their run's start. */
  readonly runCounts = new Map<string, RunCounts>();
  private readonly attempts = new Map<string, { runId: string; facts: AttemptFacts }>();
  /** What a test put as a run's collected amounts; otherwise summed from the attempts. */
  private readonly putCollected = new Map<string, readonly Money[]>();

  /** A run as BillingRunReadModel gives it: its row with its attempts' counts. */
  runView(row: RunRow): BillingRunView {
    const counts = { ...(this.runCounts.get(row.runId) ?? NO_COUNTS) };
    const collected = this.putCollected.get(row.runId) ?? this.collected(row.runId);
    return { ...row, counts, collected };
  }

  /** The amounts of the run's paid attempts, per currency, as the SQL read model sums them. */
  private collected(runId: string): Money[] {
    const totals = new Map<string, bigint>();
    for (const [key, attempt] of this.attempts) {
      if (attempt.runId !== runId || attemptStanding(attempt.facts) !== 'paid') continue;
      const amount = this.invoices.get(key.slice(0, key.lastIndexOf('/')))?.amount;
      if (!amount) continue;
      totals.set(amount.currency, (totals.get(amount.currency) ?? 0n) + toMinorUnits(amount));
    }
    return [...totals]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, minor]) => fromMinorUnits(minor, currency as Currency));
  }

  /** Puts a whole run view, counts included (tests that set the read side up directly). */
  putRun(view: BillingRunView): void {
    const { counts, collected, ...row } = view;
    this.putCollected.set(row.runId, collected);
    this.runs.set(row.runId, row);
    this.runCounts.set(row.runId, { ...counts });
  }

  apply(recorded: RecordedEvent): void {
    for (const each of invoiceEventsOf([recorded])) {
      this.applyToInvoice(each.invoiceId, recorded, each.event);
      this.applyToCustomer(each.event);
      this.applyToAttempt(each.event);
    }
    if (recorded.type === 'CustomerRegistered' && parseCustomerStream(recorded.stream)) {
      this.register(recorded.data as CustomerRegistered['data']);
    }
    if (parseBillingRunStream(recorded.stream)) {
      this.applyToRun({ type: recorded.type, data: recorded.data } as unknown as BillingRunEvent);
    }
  }

  private applyToInvoice(invoiceId: string, recorded: RecordedEvent, event: InvoiceEvent): void {
    const before = this.states.get(invoiceId) ?? { state: initialInvoiceState, revision: -1n };
    // The row already reflects this revision (the stream's own order guards replays).
    if (recorded.revision <= before.revision) return;
    const state = evolveInvoice(before.state, event);
    this.states.set(invoiceId, { state, revision: recorded.revision });
    if (state.exists) this.invoices.set(invoiceId, invoiceView(state, recorded));
    for (const row of toFailureRow({ invoiceId, recorded, event })) {
      const failures = this.failures.get(invoiceId) ?? [];
      failures.push({
        attempt: row.attempt as number,
        reason: row.reason as FailureView['reason'],
        message: row.message as string,
        retryable: row.retryable as boolean,
        failedAt: new Date(row.failed_at as string).toISOString(),
        retry: 0,
        then: null,
      });
      this.failures.set(invoiceId, failures);
    }
  }

  private register({ customerId, currency, name, email }: CustomerRegistered['data']): void {
    const invoices = this.customers.get(customerId)?.invoices ?? 0;
    this.customers.set(customerId, { customerId, currency, invoices, name, email });
  }

  private applyToCustomer(event: InvoiceEvent): void {
    if (event.type !== 'InvoiceIssued') return;
    const { customerId, amount } = event.data;
    const customer = this.customers.get(customerId);
    this.customers.set(customerId, {
      customerId,
      currency: customer?.currency ?? amount.currency,
      invoices: (customer?.invoices ?? 0) + 1,
      name: customer?.name ?? null,
      email: customer?.email ?? null,
    });
  }

  private applyToAttempt(event: InvoiceEvent): void {
    if (!('attempt' in event.data)) return;
    const data = event.data as { invoiceId: string; attempt: number; runId: string };
    const key = `${data.invoiceId}/${data.attempt}`;
    const current = this.attempts.get(key);
    const facts = evolveAttemptFacts(current?.facts ?? null, event);
    if (!facts) return;
    const runId = current?.runId ?? data.runId;
    this.attempts.set(key, { runId, facts });
    const before = current ? attemptStanding(current.facts) : null;
    const after = attemptStanding(facts);
    if (before === after) return;
    const counts = { ...(this.runCounts.get(runId) ?? NO_COUNTS) };
    // A withdrawn attempt is not counted, as in the billing-runs projection.
    if (after !== 'withdrawn') counts[after] += 1;
    if (before && before !== 'withdrawn') counts[before] -= 1;
    this.runCounts.set(runId, counts);
  }

  private applyToRun(event: BillingRunEvent): void {
    if (event.type === 'BillingStarted') {
      const { runId, period, trigger, startedAt } = event.data;
      if (this.runs.has(runId)) return;
      this.runs.set(runId, {
        runId,
        period,
        trigger,
        status: 'RUNNING',
        startedAt: new Date(startedAt).toISOString(),
        completedAt: null,
      });
    } else if (event.type === 'BillingCompleted') {
      const row = this.runs.get(event.data.runId);
      if (!row) return;
      const completedAt = new Date(event.data.completedAt).toISOString();
      this.runs.set(row.runId, { ...row, status: 'COMPLETED', completedAt });
    }
  }
}

/** The view of an invoice folded up to `recorded`, as the invoices projection writes it. */
function invoiceView(invoice: Invoice, recorded: RecordedEvent): InvoiceView {
  const failure = invoice.lastFailure;
  return {
    invoiceId: invoice.invoiceId,
    customerId: invoice.customerId,
    amount: invoice.amount,
    status: invoice.status,
    dueDate: invoice.dueDate,
    description: invoice.description,
    attempts: invoice.attempts.length,
    lastFailure: failure && {
      attempt: failure.attempt,
      reason: failure.reason,
      message: failure.message,
      retryable: failure.retryable,
      failedAt: new Date(failure.failedAt).toISOString(),
    },
    processingSince:
      invoice.openAttempt && new Date(invoice.openAttempt.lastDrivenAt).toISOString(),
    nextRetryAt: invoice.nextRetry && new Date(invoice.nextRetry.at).toISOString(),
    retriesLeft: retriesLeft(invoice),
    retriesExhausted: invoice.retriesExhausted !== null,
    revision: recorded.revision,
    issuedAt: new Date(invoice.issuedAt).toISOString(),
    updatedAt: recorded.createdAt.toISOString(),
  };
}
