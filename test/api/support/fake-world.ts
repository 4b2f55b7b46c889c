import type { InvoiceStatus } from '../../../src/billing/domain';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';
import type { Position } from '../../../src/event-store/position';
import type { BillingRunView } from '../../../src/api/read-models/billing-run-read-model.port';
import type { InvoiceView } from '../../../src/api/read-models/invoice-read-model.port';
import { InMemoryReadModels } from '../../support/read-models/in-memory-read-models';

/**
 * The state behind the fakes of the API tests: the read side is the one in-memory fake of
 * the read models, with rows the tests put directly; the event store, database and command
 * handlers are fakes over the same world, so a fake command's write shows in the reads.
 */
export class FakeWorld {
  readonly readModels = new InMemoryReadModels();
  readonly streams = new Map<string, RecordedEvent[]>();
  /** Every command the fake handlers received, in order. */
  readonly commands: unknown[] = [];
  /** Awaited by fake command handlers between reading and writing (see Gate). */
  beforeWrite: () => Promise<void> = async () => {};
  private nextPosition = 1n;

  get invoices() {
    return this.readModels.tables.invoices;
  }

  get failures() {
    return this.readModels.tables.failures;
  }

  get customers() {
    return this.readModels.tables.customers;
  }

  /** The billing runs, in the order they were added. */
  get runs(): readonly BillingRunView[] {
    const { tables } = this.readModels;
    return [...tables.runs.values()].map((row) => tables.runView(row));
  }

  addRun(view: BillingRunView): void {
    this.readModels.tables.putRun(view);
  }

  /** When set, every read-model and event-store call throws it. */
  get fault(): unknown {
    return this.readModels.fault;
  }

  set fault(fault: unknown) {
    this.readModels.fault = fault;
  }

  check(): void {
    if (this.fault !== null) throw this.fault;
  }

  position(): Position {
    const prepare = this.nextPosition++;
    return { commit: prepare + 1000n, prepare };
  }

  addInvoice(
    invoiceId: string,
    status: InvoiceStatus,
    overrides: Partial<InvoiceView> = {},
  ): InvoiceView {
    const view: InvoiceView = {
      invoiceId,
      customerId: '1',
      amount: { value: '123.45', currency: 'EUR' },
      status,
      dueDate: null,
      description: null,
      attempts: status === 'PENDING' ? 0 : 1,
      lastFailure: null,
      processingSince: status === 'PROCESSING' ? '2026-11-01T00:00:01.000Z' : null,
      nextRetryAt: null,
      retriesLeft: null,
      retriesExhausted: false,
      revision: status === 'PENDING' ? 0n : 2n,
      issuedAt: '2026-10-31T12:00:00.000Z',
      updatedAt: '2026-11-01T00:00:02.000Z',
      ...overrides,
    };
    this.invoices.set(invoiceId, view);
    return view;
  }
}

/** Lets `parties` concurrent callers through together, once all have arrived. */
export class Gate {
  private arrived = 0;
  private release!: () => void;
  private readonly open = new Promise<void>((resolve) => (this.release = resolve));

  constructor(private readonly parties: number) {}

  arrive(): Promise<void> {
    this.arrived += 1;
    if (this.arrived >= this.parties) this.release();
    return this.open;
  }
}
