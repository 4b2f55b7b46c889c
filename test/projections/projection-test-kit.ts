import {
  customerStream,
  decideBillingRun,
  decideCustomer,
  decideInvoice,
  initialCustomerState,
  foldBillingRun,
  foldInvoice,
  billingRunStream,
  invoiceStream,
  type BillingRunCommand,
  type BillingRunEvent,
  type CustomerEvent,
  type RegisterCustomer,
  type InvoiceCommand,
  type InvoiceEvent,
  type RetryPolicy,
} from '../../src/billing/domain';
import { newEvent } from '../../src/event-store/event-data';
import type { AppendResult, EventStore } from '../../src/event-store/event-store.port';
import { NO_STREAM } from '../../src/event-store/expected-revision';
import type { RecordedEvent } from '../../src/event-store/recorded-event';
import type { SqlDatabase } from '../../src/database/sql-database';
import { ALL_PROJECTIONS } from '../../projections/all-projections';
import { compareWithReplay } from '../../projections/audit/compare-with-replay';
import type { ProjectorLogger } from '../../projections/projector/projector-logger';
import { migrateReadModels } from '../../projections/migrations/read-model.migrations';
import { SqlProjectionStatus } from '../../projections/status/sql-projection-status';
import { EUR_10, T0 } from '../billing/domain/invoice-test-kit';
import type { BackendWith } from '../support/backends';
import type { OpenStore } from '../support/event-store-backends';

/** An event store on `backend` with the read models migrated beside it. */
export async function openBackend(
  backend: BackendWith<'openStore'>,
  label = 'projections',
): Promise<OpenStore> {
  const open = await backend.openStore(label);
  await migrateReadModels(open.db);
  return open;
}

/**
 * Appends what the domain decides, as the engine will: read the stream, fold, decide,
 * append at the revision read. The clock moves one minute per command.
 */
export class DomainWriter {
  private minutes = 0;

  /** With a retry policy, a failure appends the policy's verdict, as the engine's does. */
  constructor(
    private readonly store: EventStore,
    private readonly retryPolicy?: RetryPolicy,
  ) {}

  now(): string {
    return new Date(Date.parse(T0) + this.minutes++ * 60_000).toISOString();
  }

  /** Moves the clock forward: the next command runs `minute` minutes after T0. */
  clockAt(minute: number): void {
    if (minute < this.minutes) throw new RangeError(`the clock is past minute ${minute} already`);
    this.minutes = minute;
  }

  async invoice(command: InvoiceCommand): Promise<AppendResult> {
    const stream = invoiceStream(command.invoiceId);
    const recorded = await this.store.readStream(stream);
    const state = foldInvoice(recorded.map((event) => asDomain<InvoiceEvent>(event)));
    const decision = decideInvoice(command, state, {
      now: this.now(),
      instanceId: 'test',
      retryPolicy: this.retryPolicy,
    });
    if (!decision.ok) throw new Error(`${decision.error.code}: ${decision.error.message}`);
    return this.append(stream, decision.events, recorded);
  }

  async run(command: BillingRunCommand, runId: string): Promise<AppendResult> {
    const stream = billingRunStream(runId);
    const recorded = await this.store.readStream(stream);
    const state = foldBillingRun(recorded.map((event) => asDomain<BillingRunEvent>(event)));
    const decision = decideBillingRun(command, state, { now: this.now(), instanceId: 'test' });
    if (!decision.ok) throw new Error(`${decision.error.code}: ${decision.error.message}`);
    return this.append(stream, decision.events, recorded);
  }

  /** Registers a customer that has no stream yet. */
  async register(command: Omit<RegisterCustomer, 'type'>): Promise<AppendResult> {
    const decision = decideCustomer(
      { type: 'RegisterCustomer', ...command },
      initialCustomerState,
      {
        now: this.now(),
        instanceId: 'test',
      },
    );
    if (!decision.ok) throw new Error(`${decision.error.code}: ${decision.error.message}`);
    return this.append(customerStream(command.customerId), decision.events, []);
  }

  issue(invoiceId: string, customerId = 'customer-1', amount = EUR_10): Promise<AppendResult> {
    return this.invoice({ type: 'IssueInvoice', invoiceId, customerId, amount });
  }

  /** An ordinary claim, or with `retry` the retry scan's claim of that retry. */
  claim(invoiceId: string, runId = '2025-05', retry?: number): Promise<AppendResult> {
    return this.invoice({
      type: 'ClaimCharge',
      invoiceId,
      runId,
      ...(retry === undefined ? {} : { retry }),
    });
  }

  outcome(
    invoiceId: string,
    attempt: number,
    outcome: Extract<InvoiceCommand, { type: 'RecordChargeOutcome' }>['outcome'],
  ): Promise<AppendResult> {
    return this.invoice({ type: 'RecordChargeOutcome', invoiceId, attempt, outcome });
  }

  private append(
    stream: string,
    events: readonly (InvoiceEvent | BillingRunEvent | CustomerEvent)[],
    recorded: readonly RecordedEvent[],
  ): Promise<AppendResult> {
    const expected = recorded.length === 0 ? NO_STREAM : recorded[recorded.length - 1].revision;
    return this.store.append(
      stream,
      events.map((event) => newEvent(event.type, event.data)),
      expected,
    );
  }
}

function asDomain<Event>(recorded: RecordedEvent): Event {
  return { type: recorded.type, data: recorded.data } as unknown as Event;
}

/** Captures what projectors log, so tests can wait for an error and stay quiet. */
export class RecordingLogger implements ProjectorLogger {
  readonly messages: string[] = [];
  readonly errors: unknown[] = [];

  log(message: string): void {
    this.messages.push(message);
  }

  warn(message: string): void {
    this.messages.push(message);
  }

  error(message: string, error: unknown): void {
    this.messages.push(message);
    this.errors.push(error);
  }
}

export function projectionStatus(db: SqlDatabase): SqlProjectionStatus {
  return new SqlProjectionStatus(
    db,
    ALL_PROJECTIONS.map((projection) => projection.name),
  );
}

/** Invariant 5: every read model equals the domain's replay of the log. */
export async function expectReadModelsEqualReplay(
  db: SqlDatabase,
  store: EventStore,
): Promise<void> {
  const reports = await compareWithReplay(db, store);
  expect(reports.filter((report) => !report.ok)).toEqual([]);
  expect(reports.map((report) => report.projection).sort()).toEqual(
    ALL_PROJECTIONS.map((projection) => projection.name).sort(),
  );
}
