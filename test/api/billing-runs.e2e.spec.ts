import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import { createTestApp, TEST_AUTH } from './support/create-test-app';
import type { FakeWorld } from './support/fake-world';

describe('billing runs', () => {
  let app: INestApplication;
  let world: FakeWorld;
  let auth: { Authorization: string };

  beforeEach(async () => {
    ({ app, world, auth } = await createTestApp());
  });

  afterEach(async () => {
    await app.close();
  });

  const server = () => request(app.getHttpServer());

  it('POST starts a manual run: 202 with its id and the position written', async () => {
    const response = await server().post('/rest/v1/billing-runs').set(auth).expect(202);

    expect(response.body).toEqual({
      runId: 'manual-1',
      started: true,
      position: { commit: '1001', prepare: '1' },
    });
    expect(world.commands).toEqual([new StartBillingRunCommand('manual', null, 'api-token')]);
  });

  it('POST takes no body: a manual run always starts now, for everything pending', async () => {
    const response = await server()
      .post('/rest/v1/billing-runs')
      .set(auth)
      .send({ period: '2026-11' })
      .expect(202);

    expect(response.body.runId).toBe('manual-1');
  });

  it('GET lists runs newest first, paged', async () => {
    for (let run = 0; run < 3; run += 1) {
      await server().post('/rest/v1/billing-runs').set(auth).expect(202);
    }

    const first = await server().get('/rest/v1/billing-runs?size=2').set(auth).expect(200);
    const second = await server().get('/rest/v1/billing-runs?size=2&page=1').set(auth).expect(200);

    expect(first.body.items.map((run: { runId: string }) => run.runId)).toEqual([
      'manual-3',
      'manual-2',
    ]);
    expect(first.body).toMatchObject({ page: 0, size: 2, total: 3 });
    expect(second.body.items.map((run: { runId: string }) => run.runId)).toEqual(['manual-1']);
  });

  it("GET /{runId} answers the run's progress", async () => {
    world.addRun({
      runId: '2026-11',
      period: '2026-11',
      trigger: 'scheduled',
      status: 'COMPLETED',
      startedAt: '2026-11-01T00:00:00.000Z',
      completedAt: '2026-11-01T00:03:00.000Z',
      counts: { processing: 0, paid: 95, failed: 4, unknown: 1 },
      collected: [{ value: '950.00', currency: 'EUR' }],
    });

    const response = await server().get('/rest/v1/billing-runs/2026-11').set(auth).expect(200);

    expect(response.body).toEqual({
      runId: '2026-11',
      period: '2026-11',
      trigger: 'scheduled',
      status: 'COMPLETED',
      startedAt: '2026-11-01T00:00:00.000Z',
      completedAt: '2026-11-01T00:03:00.000Z',
      counts: { processing: 0, paid: 95, failed: 4, unknown: 1 },
      collected: [{ value: '950.00', currency: 'EUR' }],
    });
  });

  it('GET /{runId} answers 404 for an unknown run', async () => {
    const response = await server().get('/rest/v1/billing-runs/2026-12').set(auth).expect(404);

    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'BILLING_RUN_NOT_FOUND',
      message: 'Billing run 2026-12 does not exist',
    });
  });

  it('GET /{runId} answers 400 naming runId for a bad id', async () => {
    const response = await server().get('/rest/v1/billing-runs/..').set(auth).expect(400);

    expect(response.body.message).toMatch(/^runId must be /);
  });
});

describe('customers', () => {
  let app: INestApplication;
  let world: FakeWorld;

  beforeEach(async () => {
    ({ app, world } = await createTestApp());
  });

  afterEach(async () => {
    await app.close();
  });

  it('GET lists customers in id order, paged', async () => {
    for (const id of ['10', '2', '1']) {
      world.customers.set(id, {
        customerId: id,
        currency: 'EUR',
        invoices: 3,
        name: null,
        email: null,
      });
    }

    const response = await request(app.getHttpServer())
      .get('/rest/v1/customers?size=2')
      .set(TEST_AUTH)
      .expect(200);

    expect(response.body).toEqual({
      items: [
        { id: '1', customerId: '1', currency: 'EUR', invoices: 3, name: null, email: null },
        { id: '2', customerId: '2', currency: 'EUR', invoices: 3, name: null, email: null },
      ],
      page: 0,
      size: 2,
      total: 3,
    });
  });

  it('GET /{customerId} answers one customer', async () => {
    world.customers.set('7', {
      customerId: '7',
      currency: 'SEK',
      invoices: 12,
      name: 'Sven',
      email: null,
    });

    const response = await request(app.getHttpServer())
      .get('/rest/v1/customers/7')
      .set(TEST_AUTH)
      .expect(200);

    expect(response.body).toEqual({
      id: '7',
      customerId: '7',
      currency: 'SEK',
      invoices: 12,
      name: 'Sven',
      email: null,
    });
  });

  it('GET /{customerId} answers 404 for an unknown customer', async () => {
    const response = await request(app.getHttpServer())
      .get('/rest/v1/customers/7')
      .set(TEST_AUTH)
      .expect(404);

    expect(response.body).toMatchObject({ statusCode: 404, code: 'CUSTOMER_NOT_FOUND' });
  });

  it('GET /{customerId} answers 400 naming customerId for a bad id', async () => {
    const response = await request(app.getHttpServer())
      .get(`/rest/v1/customers/${'x'.repeat(129)}`)
      .set(TEST_AUTH)
      .expect(400);

    expect(response.body.message).toMatch(/^customerId must be /);
  });
});
