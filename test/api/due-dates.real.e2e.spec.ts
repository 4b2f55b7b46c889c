import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { BILLING_CLOCK } from '../../src/billing/billing-clock';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { ManualClock } from '../billing/support/manual-clock';
import { serveServiceApp } from '../support/serve-service-app';
import { backendsWith } from '../support/backends';
import { waitFor } from '../support/wait-for';

const TOKEN = 'due-dates-e2e-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
const DAY_MS = 24 * 3_600_000;

/**
 * Due dates on the real service (SQL read models): a run charges the PENDING invoices due
 * on or before its start's date in BILLING_TIMEZONE; one not yet due stays PENDING and is
 * charged by the first run on or after its due date (docs/design.md §2.10).
 */
// The SQL read models: PostgreSQL and PGlite.
describe.each(backendsWith('openDatabase'))('due dates on $name', (backend) => {
  let app: INestApplication;
  let stopBackend: () => Promise<void>;
  // 23:30 UTC on 14 June is already 15 June in Copenhagen, the billing time zone.
  const clock = new ManualClock(new Date('2026-06-14T23:30:00.000Z'));
  const server = () => request(app.getHttpServer());
  const get = (path: string) => server().get(path).set(auth);
  const post = (path: string, body: unknown) =>
    server()
      .post(path)
      .set(auth)
      .send(body as object);
  const status = async (id: string) => (await get(`/rest/v1/invoices/${id}`)).body.status;

  beforeAll(async () => {
    const started = await backend.startService('due_dates');
    stopBackend = started.stop;
    app = await serveServiceApp({
      env: {
        ...started.env,
        ANTAEUS_API_TOKEN: TOKEN,
        ANTAEUS_INSTANCE_ID: 'due-dates-e2e',
        ANTAEUS_SEED: 'false',
        BILLING_TIMEZONE: 'Europe/Copenhagen',
        DATABASE_POOL_SIZE: '4',
      },
      tuning: { providerRetryDelayMs: () => 1, runPollIntervalMs: 20, projectionWaitMs: 10_000 },
      override: (builder) => builder.overrideProvider(BILLING_CLOCK).useValue(clock),
      logger: ['error'],
    });
  });

  afterAll(async () => {
    await app?.close();
    await stopBackend?.();
  });

  async function runToCompletion(): Promise<string> {
    const run = await server().post('/rest/v1/billing-runs').set(auth).expect(202);
    await waitFor(
      async () =>
        (await get(`/rest/v1/billing-runs/${run.body.runId}`)).body.status === 'COMPLETED',
      { timeoutMs: 30_000, message: `run ${run.body.runId} to complete` },
    );
    return run.body.runId as string;
  }

  it('charges what is due by the run date, leaves the rest PENDING until its day', async () => {
    const provider = app.get(SimulatedPaymentProvider, { strict: false });
    await post('/rest/v1/customers', { id: 'acme', currency: 'EUR' }).expect(201);
    const invoice = (id: string, dueDate?: string) => ({
      id,
      customerId: 'acme',
      amount: { value: '10.00', currency: 'EUR' },
      ...(dueDate ? { dueDate, description: `due ${dueDate}` } : {}),
    });
    await post('/rest/v1/invoices/batch', {
      invoices: [
        invoice('no-due-date'),
        invoice('due-yesterday', '2026-06-14'),
        invoice('due-today', '2026-06-15'),
        invoice('due-tomorrow', '2026-06-16'),
        invoice('due-next-month', '2026-07-01'),
      ],
    }).expect(201);
    for (const id of ['no-due-date', 'due-yesterday', 'due-today', 'due-tomorrow'])
      provider.script(id, 'paid');

    const first = await runToCompletion();

    expect(await status('no-due-date')).toBe('PAID');
    expect(await status('due-yesterday')).toBe('PAID');
    expect(await status('due-today')).toBe('PAID');
    expect(await status('due-tomorrow')).toBe('PENDING');
    expect(await status('due-next-month')).toBe('PENDING');
    const charged = () => provider.ledger.entries().map((entry) => entry.invoiceId);
    expect(charged()).not.toContain('due-tomorrow');
    expect((await get('/rest/v1/invoices/due-tomorrow')).body).toMatchObject({
      dueDate: '2026-06-16',
      description: 'due 2026-06-16',
      attempts: 0,
    });
    expect((await get(`/rest/v1/billing-runs/${first}`)).body).toMatchObject({
      counts: { paid: 3 },
    });

    clock.advance(DAY_MS);
    await runToCompletion();

    expect(await status('due-tomorrow')).toBe('PAID');
    expect(await status('due-next-month')).toBe('PENDING');
    expect(charged().filter((id) => id === 'due-tomorrow')).toHaveLength(1);
  });
});
