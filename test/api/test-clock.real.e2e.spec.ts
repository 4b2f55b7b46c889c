import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { BACKENDS, type ServiceBackend } from '../support/backends';
import { serveServiceApp } from '../support/serve-service-app';
import { waitFor } from '../support/wait-for';

const TOKEN = 'test-clock-e2e-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
const POSTGRES = BACKENDS.filter((backend) => backend.name === 'PostgreSQL');
const DAY_MS = 24 * 3_600_000;

async function serve(
  backend: ServiceBackend,
  testClock: boolean,
  latePayers: Record<string, number> = {},
): Promise<INestApplication> {
  return serveServiceApp({
    simulated: { latePayers },
    env: {
      ...backend.env,
      ANTAEUS_API_TOKEN: TOKEN,
      ANTAEUS_INSTANCE_ID: 'test-clock-e2e',
      ANTAEUS_SEED: 'false',
      ANTAEUS_TEST_CLOCK: testClock ? 'true' : 'false',
      DATABASE_POOL_SIZE: '4',
    },
    tuning: { providerRetryDelayMs: () => 1, runPollIntervalMs: 20, projectionWaitMs: 10_000 },
    logger: ['error'],
  });
}

/** Requests to the app served by the current test, with the operate token. */
function clientOf(app: () => INestApplication) {
  const server = () => request(app().getHttpServer());
  const get = (path: string) => server().get(path).set(auth);
  const post = (path: string, body: object) => server().post(path).set(auth).send(body);
  const invoice = async (id: string) => (await get(`/rest/v1/invoices/${id}`)).body;
  return { server, get, post, invoice };
}

/**
 * The test clock (ANTAEUS_TEST_CLOCK=true) on the real service: POST
 * /rest/v1/test-clock/advance moves it and fires the retry scan, so a declined invoice is
 * retried (docs/billing.md "Moving time in tests and demos").
 */
describe.each(POSTGRES)('the test clock on $name', (backend) => {
  let started: ServiceBackend;
  let app: INestApplication;
  const { server, get, post, invoice } = clientOf(() => app);

  beforeAll(async () => {
    started = await backend.startService('test_clock');
    app = await serve(started, true);
  });

  afterAll(async () => {
    await app?.close();
    await started?.stop();
  });

  async function completed(runId: string): Promise<void> {
    await waitFor(
      async () => (await get(`/rest/v1/billing-runs/${runId}`)).body.status === 'COMPLETED',
      {
        timeoutMs: 30_000,
        message: `run ${runId} to complete`,
      },
    );
  }

  it('retries a declined invoice once the clock has moved 3 days', async () => {
    const provider = app.get(SimulatedPaymentProvider, { strict: false });
    await post('/rest/v1/customers', { id: 'acme', currency: 'EUR' }).expect(201);
    await post('/rest/v1/invoices', {
      id: 'late-money',
      customerId: 'acme',
      amount: { value: '25.00', currency: 'EUR' },
    }).expect(201);
    provider.script('late-money', 'declined', 'paid');

    const run = await post('/rest/v1/billing-runs', {}).expect(202);
    await completed(run.body.runId);
    await waitFor(
      async () =>
        (await invoice('late-money')).nextRetryAt !== undefined &&
        (await invoice('late-money')).nextRetryAt !== null,
      {
        timeoutMs: 10_000,
        message: 'the retry to be scheduled',
      },
    );
    const failed = await invoice('late-money');
    expect(failed).toMatchObject({ status: 'FAILED', retriesLeft: 3, retriesExhausted: false });

    // One day on, nothing is due: the clock moves, the scan finds nothing.
    const early = await post('/rest/v1/test-clock/advance', { by: '1d' }).expect(200);
    expect(early.body.retryRun).toBeNull();
    expect(early.body.aheadMs).toBe(DAY_MS);

    const moved = await post('/rest/v1/test-clock/advance', { by: '2d' }).expect(200);
    expect(moved.body.aheadMs).toBe(3 * DAY_MS);
    expect(Date.parse(moved.body.now)).toBeGreaterThanOrEqual(Date.parse(failed.nextRetryAt));
    expect(moved.body.retryRun).toMatchObject({ started: true });
    await completed(moved.body.retryRun.runId);
    await waitFor(async () => (await invoice('late-money')).status === 'PAID', {
      timeoutMs: 10_000,
      message: 'the retried invoice to be PAID',
    });
    const paid = await invoice('late-money');
    expect(paid.attempts).toBe(2);
    expect(
      provider.ledger.entries().filter((entry) => entry.invoiceId === 'late-money'),
    ).toHaveLength(2);
  });

  it('moves only forward, and answers bad input 400 in the error shape', async () => {
    const past = await post('/rest/v1/test-clock/advance', { to: '2020-01-01T00:00:00Z' }).expect(
      400,
    );
    expect(past.body).toMatchObject({ statusCode: 400, code: 'TEST_CLOCK_BACKWARDS' });
    for (const body of [
      {},
      { by: '3 days' },
      { by: '0d' },
      { by: 3 },
      { to: 'tomorrow' },
      { by: '1d', to: '2030-01-01T00:00:00Z' },
    ]) {
      const answer = await post('/rest/v1/test-clock/advance', body).expect(400);
      expect(answer.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(typeof answer.body.message).toBe('string');
      expect(JSON.stringify(answer.body)).not.toMatch(/at .+\.ts:|stack/);
    }
    const later = new Date(Date.now() + 30 * DAY_MS).toISOString();
    const moved = await post('/rest/v1/test-clock/advance', { to: later }).expect(200);
    expect(Date.parse(moved.body.now)).toBeGreaterThanOrEqual(Date.parse(later));
  });

  it('needs the operate scope', async () => {
    await server().post('/rest/v1/test-clock/advance').send({ by: '1d' }).expect(401);
  });
});

describe.each(POSTGRES)('a late payer on $name', (backend) => {
  let started: ServiceBackend;
  let app: INestApplication;
  const { get, post, invoice } = clientOf(() => app);

  beforeAll(async () => {
    started = await backend.startService('late_payer');
    // SIMULATED_LATE_PAYERS=slow:4: slow's money arrives on day 4 of the test clock.
    app = await serve(started, true, { slow: 4 });
  });

  afterAll(async () => {
    await app?.close();
    await started?.stop();
  });

  async function settled(runId: string, id: string, status: string): Promise<void> {
    await waitFor(
      async () =>
        (await get(`/rest/v1/billing-runs/${runId}`)).body.status === 'COMPLETED' &&
        (await invoice(id)).status === status,
      { timeoutMs: 30_000, message: `run ${runId} to leave ${id} ${status}` },
    );
  }

  it('is declined on day 0 and day 3, and collected by the retry of day 8', async () => {
    await post('/rest/v1/customers', { id: 'slow', currency: 'EUR' }).expect(201);
    await post('/rest/v1/invoices', {
      id: 'slow-1',
      customerId: 'slow',
      amount: { value: '40.00', currency: 'EUR' },
    }).expect(201);

    const run = await post('/rest/v1/billing-runs', {}).expect(202);
    await settled(run.body.runId, 'slow-1', 'FAILED');
    await waitFor(async () => (await invoice('slow-1')).retriesLeft === 3, {
      timeoutMs: 10_000,
      message: 'retry 1 to be scheduled',
    });

    const day3 = await post('/rest/v1/test-clock/advance', { by: '3d' }).expect(200);
    expect(day3.body.retryRun).toMatchObject({ started: true });
    await waitFor(async () => (await invoice('slow-1')).retriesLeft === 2, {
      timeoutMs: 30_000,
      message: 'retry 1 to be declined and retry 2 scheduled',
    });
    expect(await invoice('slow-1')).toMatchObject({ status: 'FAILED', attempts: 2 });

    const day8 = await post('/rest/v1/test-clock/advance', { by: '5d' }).expect(200);
    expect(day8.body.retryRun).toMatchObject({ started: true });
    await settled(day8.body.retryRun.runId, 'slow-1', 'PAID');
    expect(await invoice('slow-1')).toMatchObject({ attempts: 3 });
    const provider = app.get(SimulatedPaymentProvider, { strict: false });
    expect(provider.ledger.entries().map((entry) => entry.outcome)).toEqual([
      'declined',
      'declined',
      'paid',
    ]);
  });
});

describe.each(POSTGRES)('real time on $name', (backend) => {
  let started: ServiceBackend;
  let app: INestApplication;

  beforeAll(async () => {
    started = await backend.startService('test_clock_off');
    app = await serve(started, false);
  });

  afterAll(async () => {
    await app?.close();
    await started?.stop();
  });

  it('refuses to move time when the test clock is off', async () => {
    const answer = await request(app.getHttpServer())
      .post('/rest/v1/test-clock/advance')
      .set(auth)
      .send({ by: '3d' })
      .expect(404);
    expect(answer.body).toMatchObject({ statusCode: 404, code: 'TEST_CLOCK_OFF' });
  });
});
