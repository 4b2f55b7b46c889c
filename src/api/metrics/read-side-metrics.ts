import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  PROJECTION_STATUS,
  type ProjectionStatus,
} from '../../billing/engine/billing-read-model.port';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { comparePositions, START, type Position } from '../../event-store/position';
import { AntaeusMetrics } from '../../metrics/antaeus-metrics';
import {
  BILLING_RUN_READ_MODEL,
  type BillingRunReadModel,
  type BillingRunView,
} from '../read-models/billing-run-read-model.port';
import {
  INVOICE_STATUS_COUNTS,
  type InvoiceStatusCounts,
} from '../read-models/invoice-status-counts.port';

/** Projection lag in events is counted up to this: one read of the log per scrape. */
export const LAG_EVENTS_CAP = 1000;
/** The newest runs looked at for the ones still running. */
const RECENT_RUNS = 12;

/**
 * The gauges read at each scrape: invoices by status and by retry list, the attempts of running runs (and
 * of the latest run), and each projection's lag behind the log. Every instance reads the
 * shared read models and log, so each serves the same values (unlike the counters, which
 * are its own).
 */
@Injectable()
export class ReadSideMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: AntaeusMetrics,
    @Inject(INVOICE_STATUS_COUNTS) private readonly invoices: InvoiceStatusCounts,
    @Inject(BILLING_RUN_READ_MODEL) private readonly runs: BillingRunReadModel,
    @Inject(PROJECTION_STATUS) private readonly projections: ProjectionStatus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    this.metrics.collectOnScrape('invoices', () => this.collectInvoices());
    this.metrics.collectOnScrape('billing_runs', () => this.collectRuns());
    this.metrics.collectOnScrape('projections', () => this.collectProjectionLag());
  }

  private async collectInvoices(): Promise<void> {
    const counts = await this.invoices.countByStatus();
    for (const [status, count] of Object.entries(counts)) {
      this.metrics.invoices.set({ status }, count);
    }
    const retries = await this.invoices.retryCounts();
    for (const [list, count] of Object.entries(retries)) {
      this.metrics.invoiceRetries.set({ list }, count);
    }
  }

  private async collectRuns(): Promise<void> {
    const { items } = await this.runs.list({ page: 0, size: RECENT_RUNS });
    const running = items.filter((run) => run.status === 'RUNNING');
    const shown = new Set<BillingRunView>(running);
    if (items.length > 0) shown.add(items[0]);
    const gauge = this.metrics.billingRunInvoices;
    // A completed run's series go away once a newer run starts.
    gauge.reset();
    for (const run of shown) {
      for (const [status, count] of Object.entries(run.counts)) {
        gauge.set({ run: run.runId, status }, count);
      }
    }
    this.metrics.billingRunsRunning.set(running.length);
  }

  /**
   * One read of the log after the furthest-behind checkpoint: each projection's lag is
   * the events after its own checkpoint, and the age of the first of them.
   */
  private async collectProjectionLag(): Promise<void> {
    const states = await this.projections.states();
    if (states.length === 0) return;
    const checkpoints = states.map((state) => state.checkpoint ?? START);
    const oldest = checkpoints.reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b));
    const events = await this.store.readAll({ after: oldest, limit: LAG_EVENTS_CAP });
    const now = Date.now();
    states.forEach((state, index) => {
      const behind = events.filter((event) => after(event.position, checkpoints[index]));
      const labels = { projection: state.name };
      this.metrics.projectionLagEvents.set(labels, behind.length);
      const seconds = behind.length > 0 ? (now - behind[0].createdAt.getTime()) / 1000 : 0;
      this.metrics.projectionLagSeconds.set(labels, Math.max(0, seconds));
    });
  }
}

function after(position: Position, checkpoint: Position): boolean {
  return comparePositions(position, checkpoint) > 0;
}
