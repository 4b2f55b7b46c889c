import type {
  BillingRunReadModel,
  BillingRunView,
  InvoiceReadModel,
  InvoiceRef,
  InvoiceSnapshot,
  ProjectionState,
  ProjectionStatus,
} from '../../../projections/read-models';
import {
  evolveBillingRun,
  evolveInvoice,
  initialBillingRunState,
  initialInvoiceState,
  parseBillingRunStream,
  parseInvoiceStream,
  type BillingRunEvent,
  type BillingRunState,
  type InvoiceEvent,
  type InvoiceState,
  type InvoiceStatus,
} from '../../../src/billing/domain';
import { isUnavailable } from '../../../src/shared/is-unavailable';
import type { AllSubscription, EventStore } from '../../../src/event-store/event-store.port';
import { comparePositions, START, type Position } from '../../../src/event-store/position';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';

/**
 * A test stand-in for projections/: folds the log, as a projection would, into maps held
 * in memory, behind the read-model ports the engine uses. It follows the store through a
 * catch-up subscription, so it lags like the real thing; like a projector, it subscribes
 * again from its checkpoint when the store goes away, and fails only on other errors.
 */
export class InMemoryReadModels {
  private readonly invoices = new Map<string, { state: InvoiceState; revision: bigint }>();
  private readonly runs = new Map<string, BillingRunState>();
  private checkpoint: Position = START;
  private readonly waiters = new Set<{ position: Position; resolve: () => void }>();
  private subscription: AllSubscription;
  private readonly following: Promise<void>;
  private failure: Error | null = null;
  private closed = false;
  /** Times the subscription was dropped by an unreachable store and started again. */
  resubscriptions = 0;
  /** Set while paused: applying waits for it. */
  private held: { promise: Promise<void>; release: () => void } | null = null;

  constructor(private readonly store: EventStore) {
    this.subscription = store.subscribeToAll({ after: START, batchSize: 1000 });
    this.following = this.follow();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.resume();
    await this.subscription.close();
    await this.following;
  }

  /** Stops applying events (the checkpoint stays) until resume(): a projector that lags. */
  pause(): void {
    if (this.held) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
  }

  resume(): void {
    this.held?.release();
    this.held = null;
  }

  /** Callers of waitFor still waiting for the checkpoint to reach their position. */
  get waiting(): number {
    return this.waiters.size;
  }

  // ProjectionStatus
  waitFor(position: Position, timeoutMs: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (comparePositions(this.checkpoint, position) >= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`read models did not reach ${position.commit}/${position.prepare}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async states(): Promise<ProjectionState[]> {
    return [{ name: 'in-memory', checkpoint: this.checkpoint, activeHere: true }];
  }

  // InvoiceReadModel: only what the engine and sweep use is implemented.
  async scanByStatus(
    status: InvoiceStatus,
    afterInvoiceId: string | null,
    limit: number,
    upToInvoiceId: string | null = null,
  ): Promise<InvoiceSnapshot[]> {
    return this.invoiceRefs((state) => state.status === status)
      .filter((ref) => afterInvoiceId === null || compareIds(ref.invoiceId, afterInvoiceId) > 0)
      .filter((ref) => upToInvoiceId === null || compareIds(ref.invoiceId, upToInvoiceId) <= 0)
      .slice(0, limit);
  }

  async randomInStatus(status: InvoiceStatus): Promise<string | null> {
    const refs = this.invoiceRefs((state) => state.status === status);
    return refs.length === 0 ? null : refs[Math.floor(Math.random() * refs.length)].invoiceId;
  }

  async staleAttempts(drivenBefore: Date, limit: number): Promise<InvoiceRef[]> {
    return this.invoiceRefs(
      (state) =>
        state.openAttempt !== null &&
        Date.parse(state.openAttempt.lastDrivenAt) < drivenBefore.getTime(),
    ).slice(0, limit);
  }

  async countByStatus(): Promise<Record<InvoiceStatus, number>> {
    const counts = { PENDING: 0, PROCESSING: 0, PAID: 0, FAILED: 0, UNKNOWN: 0 };
    for (const { state } of this.invoices.values()) if (state.exists) counts[state.status]++;
    return counts;
  }

  /** A billing run as BillingRunReadModel.get gives it. */
  async run(runId: string): Promise<BillingRunView | null> {
    if (this.failure) throw this.failure;
    const state = this.runs.get(runId);
    if (!state?.exists) return null;
    const counts = { processing: 0, paid: 0, failed: 0, unknown: 0 };
    for (const { state: invoice } of this.invoices.values()) {
      if (!invoice.exists) continue;
      for (const attempt of invoice.attempts) {
        if (attempt.runId !== runId) continue;
        if (attempt.outcome === 'OPEN') counts.processing++;
        else if (attempt.outcome === 'PAID') counts.paid++;
        else if (attempt.outcome === 'FAILED') counts.failed++;
        else counts.unknown++;
      }
    }
    const { period, trigger, status, startedAt, completedAt } = state;
    return { runId, period, trigger, status, startedAt, completedAt, counts };
  }

  // BillingRunReadModel
  async running(): Promise<BillingRunView[]> {
    const running: BillingRunView[] = [];
    for (const [runId, state] of this.runs) {
      if (state.exists && state.status === 'RUNNING') {
        const view = await this.run(runId);
        if (view) running.push(view);
      }
    }
    return running.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** The ports, as the billing module injects them. */
  get invoiceReadModel(): InvoiceReadModel {
    return {
      scanByStatus: (status, after, limit, upTo) => this.scanByStatus(status, after, limit, upTo),
      randomInStatus: (status) => this.randomInStatus(status),
      staleAttempts: (before, limit) => this.staleAttempts(before, limit),
      countByStatus: () => this.countByStatus(),
      list: unused,
      byStatus: unused,
      get: unused,
      failures: unused,
    };
  }

  get billingRunReadModel(): BillingRunReadModel {
    return { list: unused, get: (runId) => this.run(runId), running: () => this.running() };
  }

  get projectionStatus(): ProjectionStatus {
    return {
      waitFor: (position, timeoutMs) => this.waitFor(position, timeoutMs),
      states: () => this.states(),
    };
  }

  /** An invoice's status as this read model has it; null when it has not seen it. */
  status(invoiceId: string): InvoiceStatus | null {
    const state = this.invoice(invoiceId);
    return state.exists ? state.status : null;
  }

  /** The folded state of one invoice, as this read model has it. */
  invoice(invoiceId: string): InvoiceState {
    return this.invoices.get(invoiceId)?.state ?? initialInvoiceState;
  }

  private invoiceRefs(
    matches: (state: Extract<InvoiceState, { exists: true }>) => boolean,
  ): InvoiceSnapshot[] {
    const refs: InvoiceSnapshot[] = [];
    for (const [invoiceId, { state, revision }] of this.invoices) {
      if (state.exists && matches(state)) refs.push({ invoiceId, revision, state });
    }
    return refs.sort((a, b) => compareIds(a.invoiceId, b.invoiceId));
  }

  private async follow(): Promise<void> {
    for (;;) {
      try {
        for await (const event of this.subscription) {
          if (this.held) await this.held.promise;
          this.apply(event);
        }
        return;
      } catch (error) {
        if (this.closed) return;
        if (!isUnavailable(error)) {
          this.failure = error as Error;
          return;
        }
      }
      this.resubscriptions++;
      // A projector's back-off: the store is down, ask again shortly.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (this.closed) return;
      this.subscription = this.store.subscribeToAll({ after: this.checkpoint, batchSize: 1000 });
    }
  }

  private apply(event: RecordedEvent): void {
    const invoiceId = parseInvoiceStream(event.stream);
    if (invoiceId !== null) {
      const current = this.invoices.get(invoiceId)?.state ?? initialInvoiceState;
      const state = evolveInvoice(current, { type: event.type, data: event.data } as InvoiceEvent);
      this.invoices.set(invoiceId, { state, revision: event.revision });
    }
    const run = parseBillingRunStream(event.stream);
    if (run !== null) {
      const current = this.runs.get(run.runId) ?? initialBillingRunState;
      this.runs.set(
        run.runId,
        evolveBillingRun(current, { type: event.type, data: event.data } as BillingRunEvent),
      );
    }
    this.checkpoint = event.position;
    for (const waiter of [...this.waiters]) {
      if (comparePositions(this.checkpoint, waiter.position) < 0) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }
}

function unused(): never {
  throw new Error('not used by the billing write side');
}

/** The read model's id order: shorter ids first, then bytewise ("2" before "10"). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
