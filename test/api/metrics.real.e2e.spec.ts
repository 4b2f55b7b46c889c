import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { IssueInvoiceCommand } from '../../src/billing/commands/issue-invoice.command';
import type { SimulatedOutcome } from '../../src/payments/simulated/simulated-outcome';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { parsePrometheusText, sumOf, type Sample } from '../support/prometheus-text';
import { serveServiceApp } from '../support/serve-service-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const READ_KEY = 'metrics-reader-key-0123456789ab';
const OPERATE_KEY = 'metrics-operator-key-0123456789';
const KEYS = JSON.stringify([
  { name: 'prometheus', scopes: ['read'], key: READ_KEY },
  { name: 'ops', scopes: ['read', 'operate'], key: OPERATE_KEY },
]);
const read = { Authorization: `Bearer ${READ_KEY}` };
const operate = { Authorization: `Bearer ${OPERATE_KEY}` };

/** Each invoice's scripted deliveries, cycling: a network error is retried with the same key. */
const SCRIPTS: readonly (readonly SimulatedOutcome[])[] = [
  ['paid'],
  ['declined'],
  ['customer_not_found'],
  ['currency_mismatch'],
  ['network_error', 'paid'],
  ['ambiguous_not_charged'],
  ['ambiguous_charged'],
  ['paid'],
];
const INVOICES = 40;

/**
 * /metrics of the real service on PostgreSQL after a billing run: the provider's counters
 * equal what its ledger recorded, and the read side's gauges what the read models show.
 */
describe('Prometheus metrics of the real service', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let provider: SimulatedPaymentProvider;
  let runId: string;

  const server = () => request(app.getHttpServer());

  async function scrape(): Promise<Sample[]> {
    const response = await server().get('/metrics').set(read).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(response.text);
  }

  beforeAll(async () => {
    database = await createTestDatabase('metrics_e2e');
    app = await serveServiceApp({
      env: {
        DATABASE_URL: database.url,
        ANTAEUS_API_KEYS: KEYS,
        ANTAEUS_INSTANCE_ID: 'metrics-e2e',
        ANTAEUS_SEED: 'false',
        DATABASE_POOL_SIZE: '8',
      },
      // Not idempotent: an ambiguous answer becomes UNKNOWN and is never retried.
      idempotentProvider: false,
      tuning: { providerRetryDelayMs: () => 1, runPollIntervalMs: 20, projectionWaitMs: 10_000 },
      logger: ['error'],
    });
    provider = app.get(SimulatedPaymentProvider, { strict: false });
    const commands = app.get(CommandBus);
    for (let i = 1; i <= INVOICES; i++) {
      const [first, ...rest] = SCRIPTS[i % SCRIPTS.length];
      provider.script(String(i), first, ...rest);
      await commands.execute(
        new IssueInvoiceCommand(String(i), 'c1', { value: '10.50', currency: 'EUR' }),
      );
    }
    await waitFor(
      async () =>
        (await server().get('/rest/v1/invoices/status/pending').set(read)).body.total === INVOICES,
      { message: 'every invoice PENDING on the read side' },
    );
    const started = await server().post('/rest/v1/billing-runs').set(operate).expect(202);
    runId = started.body.runId;
    await waitFor(
      async () =>
        (await server().get(`/rest/v1/billing-runs/${runId}`).set(read)).body.status ===
        'COMPLETED',
      { timeoutMs: 30_000, message: 'the run to complete' },
    );
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("counts the provider's charges by outcome and reason exactly as its ledger recorded them", async () => {
    const samples = await scrape();
    const ledger = provider.ledger.countsByOutcome();
    const charges = (outcome: string, reason: string) =>
      sumOf(samples, 'antaeus_provider_charges_total', { outcome, reason });

    expect({
      paid: charges('paid', 'none'),
      declined: charges('declined', 'insufficient_funds'),
      customer_not_found: charges('rejected', 'customer_not_found'),
      currency_mismatch: charges('rejected', 'currency_mismatch'),
      network_error: charges('error', 'network_not_sent'),
      ambiguous: charges('error', 'network_maybe_sent'),
      total: sumOf(samples, 'antaeus_provider_charges_total'),
    }).toEqual({
      paid: ledger.paid,
      declined: ledger.declined,
      customer_not_found: ledger.customer_not_found,
      currency_mismatch: ledger.currency_mismatch,
      network_error: ledger.network_error,
      ambiguous: ledger.ambiguous_charged + ledger.ambiguous_not_charged,
      total: provider.ledger.size,
    });
    // 40 invoices, 5 of each script: the figures are not all zero.
    expect(ledger).toMatchObject({ paid: 15, declined: 5, network_error: 5 });
    expect(
      sumOf(samples, 'antaeus_provider_call_duration_seconds_count', { operation: 'charge' }),
    ).toBe(provider.ledger.size);
    expect(sumOf(samples, 'antaeus_provider_calls_in_flight', { operation: 'charge' })).toBe(0);
  });

  it("shows the run's attempts and the invoices by status as the read models count them", async () => {
    const run = (await server().get(`/rest/v1/billing-runs/${runId}`).set(read)).body;
    const samples = await scrape();
    const statuses = ['processing', 'paid', 'failed', 'unknown'];

    expect(
      statuses.map((status) =>
        sumOf(samples, 'antaeus_billing_run_invoices', { run: runId, status }),
      ),
    ).toEqual(statuses.map((status) => run.counts[status]));
    expect(run.counts).toEqual({ processing: 0, paid: 15, failed: 15, unknown: 10 });
    expect(sumOf(samples, 'antaeus_invoices', { status: 'UNKNOWN' })).toBe(10);
    expect(sumOf(samples, 'antaeus_invoices', { status: 'PAID' })).toBe(15);
    // The default retry policy: declines await a retry, the permanent reasons have none.
    const listed = async (list: string) =>
      (await server().get(`/rest/v1/invoices/retries/${list}`).set(read)).body.total;
    expect({
      awaiting: sumOf(samples, 'antaeus_invoice_retries', { list: 'awaiting-retry' }),
      exhausted: sumOf(samples, 'antaeus_invoice_retries', { list: 'retries-exhausted' }),
    }).toEqual({ awaiting: await listed('awaiting'), exhausted: await listed('exhausted') });
    expect(sumOf(samples, 'antaeus_invoice_retries', { list: 'awaiting-retry' })).toBe(5);
    expect(sumOf(samples, 'antaeus_invoice_retries', { list: 'retries-exhausted' })).toBe(10);
    expect(sumOf(samples, 'antaeus_billing_runs_running')).toBe(0);
    expect(sumOf(samples, 'antaeus_events_appended_total', { type: 'InvoicePaid' })).toBe(15);
    expect(sumOf(samples, 'antaeus_events_appended_total', { type: 'InvoiceIssued' })).toBe(
      INVOICES,
    );
    expect(
      ['closed', 'half_open', 'open'].map((state) =>
        sumOf(samples, 'antaeus_provider_breaker_state', { state }),
      ),
    ).toEqual([1, 0, 0]);
    expect(sumOf(samples, 'antaeus_provider_backing_off')).toBe(0);
  });

  it('times the appends, counts requests by route template, and has Node’s default metrics', async () => {
    await server().get('/rest/v1/invoices/7').set(read).expect(200);
    await server().get('/rest/v1/invoices/7').expect(401);
    const samples = await scrape();

    expect(
      sumOf(samples, 'antaeus_event_store_append_duration_seconds_count', { result: 'ok' }),
    ).toBeGreaterThanOrEqual(INVOICES);
    expect(
      sumOf(samples, 'antaeus_http_requests_total', {
        method: 'GET',
        route: '/rest/v1/invoices/:invoiceId',
        status: '200',
      }),
    ).toBe(1);
    expect(
      sumOf(samples, 'antaeus_http_requests_total', {
        route: '/rest/v1/invoices/:invoiceId',
        status: '401',
      }),
    ).toBe(1);
    expect(sumOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    // Low cardinality: no label holds an invoice id or an idempotency key.
    const values = samples.flatMap((sample) => Object.values(sample.labels));
    expect(values.filter((value) => /^invoice-|^\/rest\/v1\/invoices\/\d/.test(value))).toEqual([]);
  });

  it('shows every projection caught up, in events and in seconds', async () => {
    let samples: Sample[] = [];
    await waitFor(
      async () => {
        samples = await scrape();
        return sumOf(samples, 'antaeus_projection_lag_events') === 0;
      },
      { message: 'the projections to catch up' },
    );
    const projections = samples
      .filter((sample) => sample.name === 'antaeus_projection_lag_events')
      .map((sample) => sample.labels.projection);

    expect(projections).toEqual(
      expect.arrayContaining(['invoices', 'invoice_failures', 'billing_runs', 'customers']),
    );
    expect(sumOf(samples, 'antaeus_projection_lag_seconds')).toBe(0);
  });

  it('needs a key with the read scope', async () => {
    await server().get('/metrics').expect(401);
    await server()
      .get('/metrics')
      .set({ Authorization: 'Bearer not-a-key-0123456789abcdefgh' })
      .expect(401);
  });
});

describe('Prometheus metrics with METRICS_PUBLIC=true', () => {
  it('answers /metrics without a key, and still guards the API', async () => {
    const database = await createTestDatabase('metrics_public');
    const app = await serveServiceApp({
      env: {
        DATABASE_URL: database.url,
        ANTAEUS_API_KEYS: KEYS,
        ANTAEUS_SEED: 'false',
        METRICS_PUBLIC: 'true',
      },
      logger: ['error'],
    });
    try {
      const response = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(response.text).toContain('# TYPE antaeus_provider_charges_total counter');
      await request(app.getHttpServer()).get('/rest/v1/invoices').expect(401);
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
