import { Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A source read at each scrape (the read models, the log): sets its gauges, then returns. */
export type ScrapeCollector = () => Promise<void>;

/** How a provider call ended, as the provider answered it (docs/operations.md, "Metrics"). */
export type ProviderCallOutcome = 'paid' | 'declined' | 'rejected' | 'error';

// Provider calls take milliseconds (simulator) to the HTTP timeout (10 s by default).
const PROVIDER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// An append is one statement (or a group commit): sub-millisecond to a slow second.
const APPEND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Every Prometheus metric of one instance, in its own registry (never prom-client's global
 * one, so two apps in one test process do not share counters). The adapters record into
 * it at the ports (the payment provider, the event store, the HTTP server); the gauges
 * of what the read models and the log show are set by collectors at each scrape.
 * Names and labels: docs/operations.md, "Metrics". No label ever holds an invoice id.
 */
export class AntaeusMetrics {
  readonly registry = new Registry();
  private readonly collectors: ScrapeCollector[] = [];
  private readonly logger = new Logger(AntaeusMetrics.name);

  readonly providerCharges = new Counter({
    name: 'antaeus_provider_charges_total',
    help: 'Charge calls to the payment provider by how they ended: outcome paid, declined (reason insufficient_funds), rejected (customer_not_found, currency_mismatch, provider_rejected) or error (network_not_sent, network_maybe_sent, throttled)',
    labelNames: ['outcome', 'reason'] as const,
    registers: [this.registry],
  });

  readonly providerCallDuration = new Histogram({
    name: 'antaeus_provider_call_duration_seconds',
    help: 'Duration of calls to the payment provider, by operation (charge, lookup) and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: PROVIDER_BUCKETS,
    registers: [this.registry],
  });

  readonly providerCallsInFlight = new Gauge({
    name: 'antaeus_provider_calls_in_flight',
    help: 'Calls to the payment provider sent and not yet answered, by operation',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly providerBreakerState = new Gauge({
    name: 'antaeus_provider_breaker_state',
    help: "This instance's circuit breaker on the payment provider: 1 for its state (closed, half_open, open), 0 for the others",
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly providerBackingOff = new Gauge({
    name: 'antaeus_provider_backing_off',
    help: 'Whether this instance is pausing all charges because the provider asked (429, Retry-After): 1 or 0',
    registers: [this.registry],
  });

  readonly providerRateLimitWait = new Histogram({
    name: 'antaeus_provider_rate_limit_wait_seconds',
    help: 'Time a claim (for its charges) or a send waited for PAYMENT_PROVIDER_MAX_RPS, the rate shared by all instances',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly providerRateLimitTokensDropped = new Counter({
    name: 'antaeus_provider_rate_limit_tokens_dropped_total',
    help: "Tokens of PAYMENT_PROVIDER_MAX_RPS this instance reserved and never used, by reason: expired (not handed to a send in time: claims lost to another instance, an idle instance), late (the send came more than 30 ms after its token's time: a slow claim, a busy event loop) or slow (the reservation's round trip to the bucket took over 30 ms, so its tokens could not be sent in time)",
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'antaeus_events_appended_total',
    help: 'Events this instance appended, by event type (RetryScheduled: retries the dunning policy scheduled)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly eventStoreAppendDuration = new Histogram({
    name: 'antaeus_event_store_append_duration_seconds',
    help: 'Duration of appends to the event store as the caller waits for them, by operation (append, append_many, append_all) and result (ok, conflict, error)',
    labelNames: ['operation', 'result'] as const,
    buckets: APPEND_BUCKETS,
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'antaeus_http_requests_total',
    help: 'HTTP requests answered, by method, route template (unmatched for none) and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly invoices = new Gauge({
    name: 'antaeus_invoices',
    help: 'Invoices by status, as the invoices read model counts them (UNKNOWN: a person must settle them)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly invoiceRetries = new Gauge({
    name: 'antaeus_invoice_retries',
    help: 'FAILED invoices by retry list: awaiting-retry (an automatic retry is scheduled) and retries-exhausted (a person must act)',
    labelNames: ['list'] as const,
    registers: [this.registry],
  });

  readonly billingRunInvoices = new Gauge({
    name: 'antaeus_billing_run_invoices',
    help: 'Attempts of each billing run not yet completed, and of the latest run, by how they stand now (processing, paid, failed, unknown)',
    labelNames: ['run', 'status'] as const,
    registers: [this.registry],
  });

  readonly billingRunsRunning = new Gauge({
    name: 'antaeus_billing_runs_running',
    help: 'Billing runs started and not completed',
    registers: [this.registry],
  });

  readonly projectionLagSeconds = new Gauge({
    name: 'antaeus_projection_lag_seconds',
    help: 'Age of the oldest event a projection has not yet applied (0 when caught up)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionLagEvents = new Gauge({
    name: 'antaeus_projection_lag_events',
    help: 'Events in the log a projection has not yet applied, counted up to the cap in docs/operations.md',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly scrapeErrors = new Counter({
    name: 'antaeus_metrics_collector_errors_total',
    help: 'Scrapes at which a collector could not read its source (its gauges keep their last values)',
    labelNames: ['collector'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Adds a source read at every scrape; `name` labels its failures. */
  collectOnScrape(name: string, collect: ScrapeCollector): void {
    this.collectors.push(async () => {
      try {
        await collect();
      } catch (error) {
        this.scrapeErrors.inc({ collector: name });
        this.logger.warn(`Metrics: ${name} could not be read: ${(error as Error).message}`);
      }
    });
  }

  /** The exposition text: every collector read first, in parallel. */
  async scrape(): Promise<string> {
    await Promise.all(this.collectors.map((collect) => collect()));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
