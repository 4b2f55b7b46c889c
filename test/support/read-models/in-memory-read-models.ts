import type {
  BillingRunReadModel,
  BillingRunView,
} from '../../../src/api/read-models/billing-run-read-model.port';
import type { CustomerReadModel } from '../../../src/api/read-models/customer-read-model.port';
import type {
  InvoicePage,
  InvoicePageRequest,
  InvoiceReadModel,
  InvoiceView,
} from '../../../src/api/read-models/invoice-read-model.port';
import type {
  BillingRunProgress,
  InvoiceScan,
  InvoiceSnapshot,
  ProjectionStatus,
} from '../../../src/billing/engine/billing-read-model.port';
import type { InvoiceCounts } from '../../../src/cli/invoice-counts.port';
import { ProjectionWaitTimeoutError } from '../../../src/billing/engine/projection-wait-timeout.error';
import { checkedSize, pageBounds, toPage } from '../../../projections/sql/paging';
import {
  INVOICE_STATUSES,
  initialInvoiceState,
  dueRetry,
  isDue,
  isEntityId,
  type InvoiceState,
  type InvoiceStatus,
} from '../../../src/billing/domain';
import type { EventStore } from '../../../src/event-store/event-store.port';
import { comparePositions, START, type Position } from '../../../src/event-store/position';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';
import { compareIds } from './compare-ids';
import { ReadModelTables } from './read-model-tables';
import { StoreFollower } from './store-follower';

/** The name its one checkpoint has in ProjectionStatus.states(). */
const NAME = 'in-memory';

/**
 * The one fake of the read side: every read-model port over rows held in memory, folded
 * from events as the projections fold them (or put directly by a test). It behaves as
 * the SQL read models do: the read-model contract suite runs against both. `follow(store)`
 * feeds it from the store's catch-up subscription, so it lags like the real thing.
 */
export class InMemoryReadModels {
  readonly tables = new ReadModelTables();
  /** When set, every read throws it (a database that went away). */
  fault: unknown = null;
  private checkpoint: Position = START;
  private readonly waiters = new Set<{ position: Position; resolve: () => void }>();
  private follower: StoreFollower | null = null;

  /** Starts following `store` from the start of its log. */
  follow(store: EventStore): this {
    if (this.follower) throw new Error('the in-memory read models already follow a store');
    this.follower = new StoreFollower(store, {
      apply: (event) => this.apply(event),
      checkpoint: () => this.checkpoint,
      fail: (error) => (this.fault = error),
    });
    return this;
  }

  async close(): Promise<void> {
    await this.follower?.close();
  }

  /** Stops applying events (the checkpoint stays) until resume(): a projector that lags. */
  pause(): void {
    this.follower?.pause();
  }

  resume(): void {
    this.follower?.resume();
  }

  /** Times the subscription was dropped by an unreachable store and started again. */
  get resubscriptions(): number {
    return this.follower?.resubscriptions ?? 0;
  }

  /** Callers of waitFor still waiting for the checkpoint to reach their position. */
  get waiting(): number {
    return this.waiters.size;
  }

  apply(event: RecordedEvent): void {
    this.tables.apply(event);
    this.checkpoint = event.position;
    for (const waiter of [...this.waiters]) {
      if (comparePositions(this.checkpoint, waiter.position) < 0) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** A billing run as BillingRunReadModel.get gives it. */
  run(runId: string): Promise<BillingRunView | null> {
    return this.billingRunReadModel.get(runId);
  }

  /** An invoice's status as this read model has it; null when it has not seen it. */
  status(invoiceId: string): InvoiceStatus | null {
    const state = this.invoice(invoiceId);
    return state.exists ? state.status : null;
  }

  /** The folded state of one invoice, as this read model has it. */
  invoice(invoiceId: string): InvoiceState {
    return this.tables.states.get(invoiceId)?.state ?? initialInvoiceState;
  }

  /** As the SQL scans: the limit counts the invoices that pass `include`, not those looked at. */
  private scan(
    status: InvoiceStatus,
    include: ((state: InvoiceState) => boolean) | null,
    afterInvoiceId: string | null,
    limit: number,
    upToInvoiceId: string | null,
  ): InvoiceSnapshot[] {
    return this.checked()
      .inStatus(status)
      .filter(
        ({ invoiceId }) => afterInvoiceId === null || compareIds(invoiceId, afterInvoiceId) > 0,
      )
      .filter(
        ({ invoiceId }) => upToInvoiceId === null || compareIds(invoiceId, upToInvoiceId) <= 0,
      )
      .filter(({ invoiceId }) => include === null || include(this.invoice(invoiceId)))
      .slice(0, limit)
      .map(({ invoiceId }) => this.snapshot(invoiceId));
  }

  /** The API's, the engine's and the CLI's ports of the invoices table. */
  get invoiceReadModel(): InvoiceReadModel & InvoiceScan & InvoiceCounts {
    return {
      list: async (request) => this.invoicePage(this.checked().sortedInvoices(), request),
      byStatus: async (status, request) =>
        this.invoicePage(
          this.checked()
            .sortedInvoices()
            .filter((invoice) => invoice.status === status),
          request,
        ),
      get: async (invoiceId) => this.checked().tables.invoices.get(invoiceId) ?? null,
      failures: async (invoiceId) => {
        const { invoices, failures } = this.checked().tables;
        if (!invoices.has(invoiceId)) return null;
        // What was scheduled after each attempt is read from the state, as the SQL joins it.
        const state = this.invoice(invoiceId);
        return (failures.get(invoiceId) ?? []).map((failure) => {
          const record = state.exists ? state.attempts[failure.attempt - 1] : undefined;
          // Rows a test put directly have no state: as they were put.
          if (!record) return failure;
          return { ...failure, retry: record.retry, then: record.scheduledAfter };
        });
      },
      byRetry: async (list, request) =>
        this.invoicePage(
          this.checked()
            .sortedInvoices()
            .filter((invoice) =>
              list === 'awaiting-retry' ? invoice.nextRetryAt !== null : invoice.retriesExhausted,
            ),
          request,
        ),
      retryCounts: async () => {
        const all = [...this.checked().tables.invoices.values()];
        return {
          'awaiting-retry': all.filter((invoice) => invoice.nextRetryAt !== null).length,
          'retries-exhausted': all.filter((invoice) => invoice.retriesExhausted).length,
        };
      },
      scanRetriesDue: async (now, afterInvoiceId, limit, upToInvoiceId = null) =>
        this.scan(
          'FAILED',
          (state) => state.exists && dueRetry(state, now.toISOString()) !== null,
          afterInvoiceId,
          limit,
          upToInvoiceId,
        ),
      anyRetryDue: async (now) =>
        this.checked()
          .inStatus('FAILED')
          .some(({ invoiceId }) => {
            const state = this.invoice(invoiceId);
            return state.exists && dueRetry(state, now.toISOString()) !== null;
          }),
      scanByStatus: async (status, afterInvoiceId, limit, upToInvoiceId = null) =>
        this.scan(status, null, afterInvoiceId, limit, upToInvoiceId),
      scanDue: async (dueBy, afterInvoiceId, limit, upToInvoiceId = null) =>
        this.scan(
          'PENDING',
          (state) => state.exists && isDue(state, dueBy),
          afterInvoiceId,
          limit,
          upToInvoiceId,
        ),
      randomInStatus: async (status) => {
        const found = this.checked().inStatus(status);
        return found.length === 0
          ? null
          : found[Math.floor(Math.random() * found.length)].invoiceId;
      },
      staleAttempts: async (drivenBefore, limit) =>
        this.checked()
          .inStatus('PROCESSING')
          .filter((invoice) => Date.parse(invoice.processingSince!) < drivenBefore.getTime())
          .sort((a, b) => a.processingSince!.localeCompare(b.processingSince!))
          .slice(0, limit)
          .map(({ invoiceId, revision }) => ({ invoiceId, revision })),
      countByStatus: async () => {
        const counts = Object.fromEntries(INVOICE_STATUSES.map((status) => [status, 0]));
        for (const invoice of this.checked().tables.invoices.values()) counts[invoice.status] += 1;
        return counts as Record<InvoiceStatus, number>;
      },
    };
  }

  get customerReadModel(): CustomerReadModel {
    return {
      list: async (request) => {
        const { limit, offset } = pageBounds(request);
        const all = [...this.checked().tables.customers.values()].sort((a, b) =>
          compareIds(a.customerId, b.customerId),
        );
        return toPage(request, all.slice(offset, offset + limit), all.length);
      },
      get: async (customerId) => this.checked().tables.customers.get(customerId) ?? null,
    };
  }

  /** The API's and the engine's ports of the billing runs. */
  get billingRunReadModel(): BillingRunReadModel & BillingRunProgress {
    const views = () =>
      [...this.checked().tables.runs.values()].map((row) => this.tables.runView(row));
    const oldestFirst = (a: { startedAt: string; runId: string }, b: typeof a) =>
      a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId);
    return {
      list: async (request) => {
        const { limit, offset } = pageBounds(request);
        const newestFirst = views().sort((a, b) => oldestFirst(b, a));
        return toPage(request, newestFirst.slice(offset, offset + limit), newestFirst.length);
      },
      get: async (runId) => {
        const row = this.checked().tables.runs.get(runId);
        return row ? this.tables.runView(row) : null;
      },
      running: async () =>
        views()
          .filter((run) => run.status === 'RUNNING')
          .sort(oldestFirst),
    };
  }

  get projectionStatus(): ProjectionStatus {
    return {
      waitFor: (position, timeoutMs) => this.waitFor(position, timeoutMs),
      states: async () => {
        const started = comparePositions(this.checked().checkpoint, START) > 0;
        return [{ name: NAME, checkpoint: started ? this.checkpoint : null, activeHere: true }];
      },
    };
  }

  private waitFor(position: Position, timeoutMs: number): Promise<void> {
    if (this.fault !== null) return Promise.reject(this.fault);
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
        const at = `${position.commit}/${position.prepare}`;
        reject(new ProjectionWaitTimeoutError(at, [NAME], timeoutMs));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private checked(): this {
    if (this.fault !== null) throw this.fault;
    return this;
  }

  private sortedInvoices(): InvoiceView[] {
    return [...this.tables.invoices.values()].sort((a, b) => compareIds(a.invoiceId, b.invoiceId));
  }

  private inStatus(status: InvoiceStatus): InvoiceView[] {
    return this.sortedInvoices().filter((invoice) => invoice.status === status);
  }

  private snapshot(invoiceId: string): InvoiceSnapshot {
    const row = this.tables.states.get(invoiceId);
    if (!row?.state.exists)
      throw new Error(`invoice ${invoiceId} was put as a view, without the state a scan returns`);
    return { invoiceId, revision: row.revision, state: row.state };
  }

  /** As the SQL read model pages: by number, or the `size` after the cursor, with `next`. */
  private invoicePage(all: readonly InvoiceView[], request: InvoicePageRequest): InvoicePage {
    let from: number;
    let size: number;
    if (request.after === undefined) {
      const bounds = pageBounds(request);
      ({ offset: from, limit: size } = bounds);
    } else {
      size = checkedSize(request.size);
      if (!isEntityId(request.after))
        throw new RangeError(`after must be an invoice id, got ${JSON.stringify(request.after)}`);
      const after = request.after;
      const index = all.findIndex((invoice) => compareIds(invoice.invoiceId, after) > 0);
      from = index < 0 ? all.length : index;
    }
    const items = all.slice(from, from + size);
    return {
      items,
      page: request.after === undefined ? request.page : null,
      size,
      total: all.length,
      next: from + size < all.length ? items[items.length - 1].invoiceId : null,
    };
  }
}
