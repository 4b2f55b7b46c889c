import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { IssueInvoiceCommand } from '../../src/billing/commands/issue-invoice.command';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { BACKENDS } from '../support/backends';
import { serveServiceApp } from '../support/serve-service-app';
import { SseConnection, type SseMessage } from '../support/sse-client';
import { waitFor } from '../support/wait-for';

const TOKEN = 'event-feed-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };
const INVOICES = 20;

interface FedEvent {
  readonly cursor: string;
  readonly type: string;
  readonly stream: string;
  readonly metadata: Record<string, unknown>;
  readonly data: Record<string, unknown>;
}

/**
 * The event feed over the real service on each backend: a consumer of the SSE stream
 * that disconnects in the middle of a billing run and resumes with Last-Event-ID sees
 * every event of the log exactly once, in the order the paged feed gives.
 */
describe.each(BACKENDS)('event feed on $name', (backend) => {
  let stopBackend: () => Promise<void>;
  let app: INestApplication;
  let baseUrl: string;
  let provider: SimulatedPaymentProvider;

  const server = () => request(app.getHttpServer());

  beforeAll(async () => {
    const started = await backend.startService('event_feed');
    stopBackend = () => started.stop();
    app = await serveServiceApp({
      env: {
        ...started.env,
        ANTAEUS_API_TOKEN: TOKEN,
        ANTAEUS_INSTANCE_ID: 'feed-e2e',
        ANTAEUS_SEED: 'false',
      },
      tuning: { providerRetryDelayMs: () => 1, runPollIntervalMs: 20, projectionWaitMs: 10_000 },
      logger: ['error'],
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    provider = app.get(SimulatedPaymentProvider, { strict: false });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await stopBackend?.();
  });

  async function pageAll(): Promise<FedEvent[]> {
    const all: FedEvent[] = [];
    let after: string | null = null;
    for (;;) {
      const query: string = after === null ? '?limit=7' : `?limit=7&after=${after}`;
      const page = await server().get(`/rest/v1/events${query}`).set(auth).expect(200);
      all.push(...page.body.items);
      if (page.body.items.length === 0) return all;
      after = page.body.next;
    }
  }

  async function readUntil(
    connection: SseConnection,
    into: SseMessage[],
    done: (event: FedEvent) => boolean,
  ): Promise<void> {
    for (;;) {
      const message = await connection.next();
      into.push(message);
      if (done(JSON.parse(message.data) as FedEvent)) return;
    }
  }

  it('resumes with Last-Event-ID after a disconnect mid-run: every event once, in order, then live', async () => {
    // Charges wait until the first consumer has gone: the run is in flight meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    provider.onCharge(async (event) => {
      if (event.phase === 'received') await held;
    });
    const commands = app.get(CommandBus);
    for (let i = 1; i <= INVOICES; i++) {
      await commands.execute(
        new IssueInvoiceCommand(String(i), 'c1', { value: '10.50', currency: 'EUR' }),
      );
    }
    await waitFor(
      async () =>
        (await server().get('/rest/v1/invoices/status/pending').set(auth)).body.total === INVOICES,
      { message: 'every invoice PENDING on the read side' },
    );
    const runId = (await server().post('/rest/v1/billing-runs').set(auth).expect(202)).body.runId;

    const received: SseMessage[] = [];
    const first = await SseConnection.open(`${baseUrl}/rest/v1/events/stream`, auth);
    expect(first.status).toBe(200);
    expect(first.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    // Up to the run's first claims, then away: the charges are still held.
    await readUntil(first, received, (event) => event.type === 'ChargeAttempted');
    first.close();
    const lastId = received.at(-1)!.id!;
    release();
    provider.onCharge(undefined);

    const resumed = await SseConnection.open(`${baseUrl}/rest/v1/events/stream`, {
      ...auth,
      'Last-Event-ID': lastId,
    });
    await readUntil(
      resumed,
      received,
      (event) => event.type === 'BillingCompleted' && event.stream === `billing-run-${runId}`,
    );
    // Caught up; an invoice issued now arrives live.
    await commands.execute(
      new IssueInvoiceCommand('live-1', 'c1', { value: '1.00', currency: 'EUR' }),
    );
    await readUntil(
      resumed,
      received,
      (event) => event.type === 'InvoiceIssued' && event.stream === 'invoice-live-1',
    );
    resumed.close();

    const paged = await pageAll();
    const streamed = received.map((message) => JSON.parse(message.data) as FedEvent);
    expect(received.map((message) => message.id)).toEqual(streamed.map((event) => event.cursor));
    expect(new Set(streamed.map((event) => event.cursor)).size).toBe(streamed.length);
    expect(streamed.map((event) => event.cursor)).toEqual(paged.map((event) => event.cursor));
    expect(streamed).toEqual(paged);
    expect(streamed.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        'InvoiceIssued',
        'BillingStarted',
        'ChargeAttempted',
        'InvoicePaid',
        'BillingCompleted',
      ]),
    );
    expect(streamed.filter((event) => event.type === 'InvoicePaid')).toHaveLength(
      provider.ledger.successfulCharges().length,
    );
  });

  it('pages the log with its fields and published metadata only', async () => {
    const page = await server().get('/rest/v1/events?limit=2').set(auth).expect(200);

    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0]).toEqual({
      cursor: expect.stringMatching(/^\d+\/\d+$/),
      position: { commit: expect.stringMatching(/^\d+$/), prepare: expect.stringMatching(/^\d+$/) },
      id: expect.any(String),
      type: expect.any(String),
      stream: expect.any(String),
      revision: '0',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: expect.any(Object),
      metadata: expect.objectContaining({ instanceId: 'feed-e2e' }),
    });
    expect(page.body.next).toBe(page.body.items[1].cursor);
    const allowed = [
      'instanceId',
      'runId',
      'causation',
      'causationId',
      'writeId',
      'requestId',
      'apiKeyName',
    ];
    for (const event of await pageAll()) {
      expect(Object.keys(event.metadata).filter((key) => !allowed.includes(key))).toEqual([]);
    }
    expect(JSON.stringify(await pageAll())).not.toContain(TOKEN);
  });
});
