import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { IssueInvoiceCommand } from '../../src/billing/commands/issue-invoice.command';
import { billingRunStream } from '../../src/billing/domain';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { serveServiceApp } from '../support/serve-service-app';
import { waitFor } from '../support/wait-for';
import { backendsWith, type ServiceBackend } from '../support/backends';

const TOKEN = 'real-e2e-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };

/**
 * The API over the real service, with the read models on a fresh PostgreSQL database and
 * the events there too or in EventStoreDB: event store, billing module (command
 * handlers, engine), projectors and SQL read models. Invoices are issued through
 * IssueInvoiceCommand, charged by a manual run, then read and acted on over HTTP.
 */
// The production stores (the ones several instances share), read beside the service.
describe.each(backendsWith('openShared'))('REST API over the real service on $name', (backend) => {
  let events: ServiceBackend;
  let app: INestApplication;
  let runId: string;

  const server = () => request(app.getHttpServer());
  const ids = (body: { items: { invoiceId: string }[] }) =>
    body.items.map((item) => item.invoiceId);

  async function invoiceAtLeast(invoiceId: string, revision: string) {
    let body: { revision: string; status: string } | undefined;
    await waitFor(
      async () => {
        const response = await server().get(`/rest/v1/invoices/${invoiceId}`).set(auth);
        body = response.body;
        return response.status === 200 && BigInt(response.body.revision) >= BigInt(revision);
      },
      { message: `invoice ${invoiceId} at revision ${revision}` },
    );
    return body!;
  }

  beforeAll(async () => {
    events = await backend.startService('api_e2e');
    app = await serveServiceApp({
      env: {
        ...events.env,
        ANTAEUS_API_TOKEN: TOKEN,
        ANTAEUS_INSTANCE_ID: 'api-e2e',
        ANTAEUS_SEED: 'false',
        DATABASE_POOL_SIZE: '8',
      },
      // Not idempotent: an ambiguous answer becomes UNKNOWN, for a person to resolve.
      idempotentProvider: false,
      tuning: { providerRetryDelayMs: () => 1, runPollIntervalMs: 20, projectionWaitMs: 10_000 },
      logger: ['error'],
    });

    const provider = app.get(SimulatedPaymentProvider, { strict: false });
    provider.script('1', 'paid');
    provider.script('2', 'declined');
    provider.script('3', 'ambiguous_not_charged');
    provider.script('4', 'customer_not_found');
    provider.script('10', 'paid');
    const commands = app.get(CommandBus);
    for (const id of ['1', '2', '3', '4', '10']) {
      await commands.execute(
        new IssueInvoiceCommand(id, 'c1', { value: '10.50', currency: 'EUR' }),
      );
    }
    await waitFor(
      async () =>
        (await server().get('/rest/v1/invoices/status/pending').set(auth)).body.total === 5,
      { message: 'five PENDING invoices on the read side' },
    );

    const started = await server().post('/rest/v1/billing-runs').set(auth).expect(202);
    expect(started.body).toMatchObject({ started: true, runId: expect.any(String) });
    expect(started.body.position).toEqual({
      commit: expect.stringMatching(/^\d+$/),
      prepare: expect.stringMatching(/^\d+$/),
    });
    runId = started.body.runId;
    await waitFor(
      async () =>
        (await server().get(`/rest/v1/billing-runs/${runId}`).set(auth)).body.status ===
        'COMPLETED',
      { timeoutMs: 30_000, message: 'the manual run to complete' },
    );
  });

  afterAll(async () => {
    await app?.close();
    await events?.stop();
  });

  it('names the API key that started the run in BillingStarted', async () => {
    const [started] = await app
      .get<EventStore>(EVENT_STORE)
      .readStream(billingRunStream(runId), { direction: 'forwards' });

    expect(started).toMatchObject({
      type: 'BillingStarted',
      metadata: { apiKeyName: 'api-token', causation: 'StartBillingRunCommand:manual' },
    });
  });

  it('shows the run with its counts', async () => {
    const run = await server().get(`/rest/v1/billing-runs/${runId}`).set(auth).expect(200);
    const runs = await server().get('/rest/v1/billing-runs').set(auth).expect(200);

    expect(run.body).toMatchObject({
      runId,
      trigger: 'manual',
      status: 'COMPLETED',
      counts: { processing: 0, paid: 2, failed: 2, unknown: 1 },
    });
    expect(run.body.completedAt).toEqual(expect.any(String));
    expect(runs.body.items.map((item: { runId: string }) => item.runId)).toContain(runId);
  });

  it('pages invoices by cursor: next leads through every page, totals from the kept counts', async () => {
    const first = await server().get('/rest/v1/invoices?size=2').set(auth).expect(200);
    const second = await server()
      .get(`/rest/v1/invoices?size=2&after=${first.body.next}`)
      .set(auth);
    const last = await server().get(`/rest/v1/invoices?size=2&after=${second.body.next}`).set(auth);
    const failed = await server()
      .get('/rest/v1/invoices/status/FAILED?after=2')
      .set(auth)
      .expect(200);
    const both = await server().get('/rest/v1/invoices?page=0&after=2').set(auth).expect(400);

    expect([first, second, last].map((page) => [ids(page.body), page.body.next])).toEqual([
      [['1', '2'], '2'],
      [['3', '4'], '4'],
      [['10'], null],
    ]);
    expect(last.body).toMatchObject({ page: null, size: 2, total: 5 });
    expect(failed.body).toMatchObject({ page: null, total: 2, next: null });
    expect(ids(failed.body)).toEqual(['4']);
    expect(both.body.message).toMatch(/^page and after cannot be used together/);
  });

  it('pages invoices by status, in id order, in any case', async () => {
    const paid = await server().get('/rest/v1/invoices/status/Paid').set(auth).expect(200);
    const failed = await server()
      .get('/rest/v1/invoices/status/failed?size=1&page=1')
      .set(auth)
      .expect(200);
    const unknown = await server().get('/rest/v1/invoices/status/UNKNOWN').set(auth).expect(200);
    const all = await server().get('/rest/v1/invoices').set(auth).expect(200);

    expect(ids(paid.body)).toEqual(['1', '10']);
    expect(failed.body).toMatchObject({ page: 1, size: 1, total: 2 });
    expect(ids(failed.body)).toEqual(['4']);
    expect(ids(unknown.body)).toEqual(['3']);
    expect(ids(all.body)).toEqual(['1', '2', '3', '4', '10']);
    expect(all.body).toMatchObject({ total: 5, next: null });
    expect(paid.body.items[0]).toMatchObject({
      amount: { value: '10.50', currency: 'EUR' },
      status: 'PAID',
      attempts: 1,
      revision: '2',
    });
  });

  it('shows the failure history', async () => {
    const declined = await server().get('/rest/v1/invoices/failed/2').set(auth).expect(200);
    const paid = await server().get('/rest/v1/invoices/failed/1').set(auth).expect(200);
    await server().get('/rest/v1/invoices/failed/99').set(auth).expect(404);

    expect(declined.body).toMatchObject({
      invoiceId: '2',
      status: 'FAILED',
      failures: [{ attempt: 1, reason: 'INSUFFICIENT_FUNDS', retryable: true }],
    });
    expect(paid.body).toEqual({ invoiceId: '1', status: 'PAID', failures: [] });
  });

  it('shows the customer', async () => {
    const customer = await server().get('/rest/v1/customers/c1').set(auth).expect(200);

    expect(customer.body).toEqual({
      id: 'c1',
      customerId: 'c1',
      currency: 'EUR',
      name: null,
      email: null,
      invoices: 5,
    });
  });

  it('requeues a FAILED invoice once, however many ask at the same time', async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => server().post('/rest/v1/invoices/4/requeue').set(auth)),
    );

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409, 409]);
    const winner = responses.find((response) => response.status === 202)!;
    // Revision 3 is the retry policy's verdict on the failure (RetriesExhausted: never retried).
    expect(winner.body).toMatchObject({ invoiceId: '4', status: 'PENDING', revision: '4' });
    for (const loser of responses.filter((response) => response.status === 409)) {
      expect(loser.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(['NOT_FAILED', 'WRONG_EXPECTED_VERSION']).toContain(loser.body.code);
    }
    expect((await invoiceAtLeast('4', winner.body.revision)).status).toBe('PENDING');
    const events = await server().get('/rest/v1/invoices/4/events').set(auth).expect(200);
    // Invariant 9: the change a person caused names who, and only that one does.
    expect(
      events.body.events.map((event: { type: string; apiKeyName: string | null }) => [
        event.type,
        event.apiKeyName,
      ]),
    ).toEqual([
      ['InvoiceIssued', null],
      ['ChargeAttempted', null],
      ['ChargeFailed', null],
      ['RetriesExhausted', null],
      ['InvoiceRequeued', 'api-token'],
    ]);
  });

  it('refuses to requeue what is not FAILED, and what does not exist', async () => {
    const paid = await server().post('/rest/v1/invoices/1/requeue').set(auth).expect(409);
    const missing = await server().post('/rest/v1/invoices/99/requeue').set(auth).expect(404);
    await server().post('/rest/v1/invoices/2/requeue').expect(401);

    expect(paid.body.code).toBe('NOT_FAILED');
    expect(paid.body.message).toEqual(expect.any(String));
    expect(missing.body.code).toBe('INVOICE_NOT_FOUND');
  });

  it('resolves an UNKNOWN invoice, once', async () => {
    const resolved = await server()
      .post('/rest/v1/invoices/3/resolve')
      .set(auth)
      .send({ outcome: 'PAID', note: 'the provider shows no charge; customer paid by transfer' })
      .expect(202);
    const again = await server()
      .post('/rest/v1/invoices/3/resolve')
      .set(auth)
      .send({ outcome: 'FAILED', note: 'second thoughts' })
      .expect(409);
    const notUnknown = await server()
      .post('/rest/v1/invoices/1/resolve')
      .set(auth)
      .send({ outcome: 'FAILED', note: 'x' })
      .expect(409);
    await server()
      .post('/rest/v1/invoices/3/resolve')
      .set(auth)
      .send({ outcome: 'PAID' })
      .expect(400);

    expect(resolved.body).toMatchObject({ invoiceId: '3', status: 'PAID', revision: '3' });
    const events = await server().get('/rest/v1/invoices/3/events').set(auth).expect(200);
    expect(events.body.events.at(-1)).toMatchObject({
      type: 'InvoiceResolved',
      apiKeyName: 'api-token',
    });
    expect(again.body.code).toBe('NOT_UNKNOWN');
    expect(notUnknown.body.code).toBe('NOT_UNKNOWN');
    expect((await invoiceAtLeast('3', resolved.body.revision)).status).toBe('PAID');
  });

  it("reads the invoice's events from the log, oldest first", async () => {
    const response = await server().get('/rest/v1/invoices/2/events').set(auth).expect(200);
    await server().get('/rest/v1/invoices/99/events').set(auth).expect(404);

    expect(response.body.invoiceId).toBe('2');
    expect(response.body.events.map((event: { type: string }) => event.type)).toEqual([
      'InvoiceIssued',
      'ChargeAttempted',
      'ChargeFailed',
      'RetryScheduled',
    ]);
    expect(response.body.events.map((event: { revision: string }) => event.revision)).toEqual([
      '0',
      '1',
      '2',
      '3',
    ]);
    expect(response.body.events[2].data).toMatchObject({
      invoiceId: '2',
      attempt: 1,
      reason: 'INSUFFICIENT_FUNDS',
      runId,
      instanceId: 'api-e2e',
    });
    expect(Date.parse(response.body.events[0].createdAt)).not.toBeNaN();
  });

  it(`keeps the events in ${backend.name}`, async () => {
    expect(await events.storedTypes('invoice-2')).toEqual([
      'InvoiceIssued',
      'ChargeAttempted',
      'ChargeFailed',
      'RetryScheduled',
    ]);
  });
});
