import type { InvoiceStatus } from '../../../src/billing/domain';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';
import type { Position } from '../../../src/event-store/position';
import type {
  BillingRunView,
  CustomerView,
  FailureView,
  InvoiceView,
} from '../../../projections/read-models';

/**
 * The state behind the fake read models, event store and command handlers of the API
 * tests: one in-memory world, so a fake command's write shows in the fake reads.
 */
export class FakeWorld {
  readonly invoices = new Map<string, InvoiceView>();
  readonly failures = new Map<string, FailureView[]>();
  readonly customers = new Map<string, CustomerView>();
  readonly runs: BillingRunView[] = [];
  readonly streams = new Map<string, RecordedEvent[]>();
  /** Every command the fake handlers received, in order. */
  readonly commands: unknown[] = [];
  /** When set, every read-model and event-store call throws it. */
  fault: unknown = null;
  /** Awaited by fake command handlers between reading and writing (see Gate). */
  beforeWrite: () => Promise<void> = async () => {};
  private nextPosition = 1n;

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
      attempts: status === 'PENDING' ? 0 : 1,
      lastFailure: null,
      processingSince: status === 'PROCESSING' ? '2026-11-01T00:00:01.000Z' : null,
      revision: status === 'PENDING' ? 0n : 2n,
      issuedAt: '2026-10-31T12:00:00.000Z',
      updatedAt: '2026-11-01T00:00:02.000Z',
      ...overrides,
    };
    this.invoices.set(invoiceId, view);
    return view;
  }
}

/** Ids ordered as the read model orders them: shorter first, then bytewise. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
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
