import { Logger, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { BillingRunCommandError } from '../../src/billing/commands/billing-run-command.error';
import { InvoiceCommandError } from '../../src/billing/commands/invoice-command.error';
import { MAX_PATH_PARAMETER_LENGTH } from '../../src/api/http-adapter';
import { ConcurrentWritesError } from '../../src/billing/concurrent-writes.error';
import { EventStoreUnavailableError } from '../../src/event-store/errors/event-store-unavailable.error';
import { createTestApp } from './support/create-test-app';
import type { FakeWorld } from './support/fake-world';

describe('errors', () => {
  let app: INestApplication;
  let world: FakeWorld;
  let auth: { Authorization: string };
  let logged: jest.SpyInstance;

  beforeEach(async () => {
    ({ app, world, auth } = await createTestApp());
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => {});
  });

  afterEach(async () => {
    logged.mockRestore();
    await app.close();
  });

  const server = () => request(app.getHttpServer());

  it('answers an unknown route with 404 in the error shape', async () => {
    const response = await server().get('/rest/v2/invoices').set(auth).expect(404);

    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'Cannot GET /rest/v2/invoices',
    });
  });

  it.each([
    ['/rest/v1/invoices/%FF', 400, 'INVALID_URL', 'The request path is not valid percent-encoding'],
    [
      `/rest/v1/invoices/${'9'.repeat(MAX_PATH_PARAMETER_LENGTH + 1)}`,
      414,
      'URI_TOO_LONG',
      'A path parameter is too long: no id or status is that long',
    ],
  ])(
    "answers the router's own error for %s in the error shape",
    async (path, status, code, message) => {
      const response = await server().get(path).set(auth).expect(status);

      expect(response.body).toEqual({
        statusCode: status,
        error: status === 400 ? 'Bad Request' : 'URI Too Long',
        code,
        message,
      });
    },
  );

  it('lets a path parameter up to the limit reach the route, which names what is wrong', async () => {
    const response = await server()
      .get(`/rest/v1/invoices/${'9'.repeat(MAX_PATH_PARAMETER_LENGTH)}`)
      .set(auth)
      .expect(400);

    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(response.body.message).toMatch(/^invoiceId must be /);
  });

  it('ignores a trailing slash', async () => {
    world.addInvoice('1', 'PAID');

    const response = await server().get('/rest/v1/invoices/1/').set(auth).expect(200);

    expect(response.body.invoiceId).toBe('1');
  });

  it('answers a read with 503 when the store is unavailable', async () => {
    world.fault = new EventStoreUnavailableError('EventStoreDB did not answer: deadline exceeded');

    const response = await server().get('/rest/v1/invoices/1/events').set(auth).expect(503);

    expect(response.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'SERVICE_UNAVAILABLE',
      message: 'The event store or the database is unavailable; try again shortly',
    });
  });

  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    [
      'PostgreSQL shutting down',
      Object.assign(new Error('terminating connection'), { code: '57P01' }),
    ],
    ['a pool that lost its server', new Error('Connection terminated unexpectedly')],
    [
      'a wrapped driver error',
      new Error('read model query failed', {
        cause: Object.assign(new Error('connect'), { code: 'ETIMEDOUT' }),
      }),
    ],
  ])('answers 503 when the database is down: %s', async (_, fault) => {
    world.fault = fault;

    const lists = await server().get('/rest/v1/invoices/status/paid').set(auth).expect(503);
    const write = await server().post('/rest/v1/invoices/1/requeue').set(auth).expect(503);

    expect(lists.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(write.body.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers a bug with 500 and a generic message, logging the stack server-side only', async () => {
    world.fault = new TypeError('Cannot read properties of undefined (reading "secret_column")');

    const response = await server().get('/rest/v1/customers/1').set(auth).expect(500);

    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'INTERNAL_ERROR',
      message: 'Internal error: the request failed on the server; it has been logged',
    });
    expect(response.text).not.toMatch(/secret_column|TypeError|\.ts:\d+/);
    expect(logged).toHaveBeenCalledWith(
      'GET /rest/v1/customers/1 failed with 500',
      expect.stringContaining('secret_column'),
    );
  });

  it('answers 500, not a crash, for a thrown non-Error', async () => {
    world.fault = 'a string';

    const response = await server().get('/rest/v1/billing-runs').set(auth).expect(500);

    expect(response.body.code).toBe('INTERNAL_ERROR');
  });

  it.each([
    ['ATTEMPT_MISMATCH', 409],
    ['OUTCOME_CONFLICT', 409],
    ['NOT_PENDING', 409],
    ['ALREADY_ISSUED', 409],
    ['INVALID_COMMAND', 400],
    ['INVOICE_NOT_FOUND', 404],
  ] as const)("maps the domain's %s to %i with its message", async (code, status) => {
    world.fault = new InvoiceCommandError(code, `the domain says ${code}`);

    const response = await server().post('/rest/v1/invoices/1/requeue').set(auth).expect(status);

    expect(response.body).toMatchObject({
      statusCode: status,
      code,
      message: `the domain says ${code}`,
    });
  });

  it.each([
    ['INVALID_COMMAND', 400],
    ['RUN_ALREADY_STARTED', 409],
  ] as const)('maps a billing run refusal %s to %i', async (code, status) => {
    world.fault = new BillingRunCommandError(code, `the run says ${code}`);

    const response = await server().post('/rest/v1/billing-runs').set(auth).expect(status);

    expect(response.body).toMatchObject({
      statusCode: status,
      code,
      message: `the run says ${code}`,
    });
  });

  it('maps concurrent writes that outlasted the retries to 409', async () => {
    world.fault = new ConcurrentWritesError('invoice-1', 4);

    const response = await server().post('/rest/v1/invoices/1/requeue').set(auth).expect(409);

    expect(response.body).toMatchObject({ statusCode: 409, code: 'WRONG_EXPECTED_VERSION' });
    expect(response.body.message).toContain('invoice-1 changed under 4 attempts');
  });

  describe('health', () => {
    it('answers 200 when the stores are up', async () => {
      const response = await server().get('/rest/health').set(auth).expect(200);

      expect(response.body).toEqual({
        status: 'up',
        eventStore: { status: 'up' },
        readModels: { status: 'up' },
      });
    });

    it('answers 503 with what is down when a store is down', async () => {
      world.fault = new Error('connection refused');

      const response = await server().get('/rest/health').set(auth).expect(503);

      expect(response.body).toMatchObject({ status: 'down', eventStore: { status: 'down' } });
    });

    it('answers other methods in the error shape', async () => {
      const response = await server().post('/rest/health').expect(404);

      expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });
  });

  describe('hostile input never gets a 500', () => {
    const paths = [
      `/rest/v1/invoices/${'9'.repeat(5000)}`,
      '/rest/v1/invoices/%00',
      '/rest/v1/invoices/%E0%A4%A',
      '/rest/v1/invoices/%FF',
      '/rest/v1/invoices/..%2F..%2Fetc%2Fpasswd',
      "/rest/v1/invoices/1'%20OR%20'1'='1",
      '/rest/v1/invoices/%F0%9F%92%B8',
      '/rest/v1/invoices/status/%00',
      `/rest/v1/invoices/status/${'A'.repeat(10_000)}`,
      '/rest/v1/invoices/failed/__proto__',
      '/rest/v1/invoices/constructor/events',
      '/rest/v1/invoices?page=1%00',
      '/rest/v1/invoices?size[]=1',
      '/rest/v1/invoices?__proto__[size]=1',
      `/rest/v1/customers?page=${'9'.repeat(400)}`,
      '/rest/v1/billing-runs/%2e%2e',
    ];

    it.each(paths)('GET %s', async (path) => {
      const response = await server().get(path).set(auth);

      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body.statusCode).toBe(response.status);
      expect(typeof response.body.message).toBe('string');
    });

    const bodies: [string, string][] = [
      ['prototype pollution', '{"__proto__":{"admin":true},"outcome":"PAID","note":"x"}'],
      [
        'constructor pollution',
        '{"constructor":{"prototype":{"x":1}},"outcome":"PAID","note":"x"}',
      ],
      ['deep nesting', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`],
      ['a number', '42'],
      ['true', 'true'],
      ['an oversized body', JSON.stringify({ outcome: 'PAID', note: 'x'.repeat(200_000) })],
      ['a lone surrogate', '{"outcome":"PAID","note":"\\ud800"}'],
    ];

    it.each(bodies)('POST resolve with %s', async (_, body) => {
      world.addInvoice('1', 'UNKNOWN');

      const response = await server()
        .post('/rest/v1/invoices/1/resolve')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send(body);

      expect(response.status).toBeLessThan(500);
      expect({}).not.toHaveProperty('admin');
      expect(logged).not.toHaveBeenCalled();
    });

    it('answers an oversized body with 413 in the error shape', async () => {
      const response = await server()
        .post('/rest/v1/invoices/1/resolve')
        .set(auth)
        .send({ outcome: 'PAID', note: 'x'.repeat(1_100_000) })
        .expect(413);

      expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('answers a body of a type it does not read with 415 in the error shape', async () => {
      const response = await server()
        .post('/rest/v1/invoices/1/resolve')
        .set(auth)
        .set('Content-Type', 'application/xml')
        .send('<resolve outcome="PAID"/>')
        .expect(415);

      expect(response.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(world.commands).toEqual([]);
    });

    it('POST with a form body is not a 500', async () => {
      world.addInvoice('1', 'UNKNOWN');

      const response = await server()
        .post('/rest/v1/invoices/1/resolve')
        .set(auth)
        .type('form')
        .send('outcome=PAID&note=x&note=y');

      expect(response.status).toBe(400);
      expect(response.body.message).toBe('note must be a string');
    });
  });
});
