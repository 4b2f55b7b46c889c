import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CURRENCIES } from '../../src/billing/domain';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { waitFor } from '../support/wait-for';
import { serveServiceApp } from '../support/serve-service-app';
import { BACKENDS } from '../support/backends';

const TOKEN = 'write-path-e2e-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

/**
 * A team's own customers and invoices over HTTP, on the real service: creates and their
 * repeats (201, 200, 409), the rules of a new invoice, batches all or nothing, voids,
 * and bad input refused with nothing written.
 */
describe.each(BACKENDS)('creating customers and invoices on $name', (backend) => {
  let app: INestApplication;
  let store: EventStore;
  let stopBackend: () => Promise<void>;
  const server = () => request(app.getHttpServer());
  const get = (path: string) => server().get(path).set(auth);
  const post = (path: string, body: unknown) =>
    server()
      .post(path)
      .set(auth)
      .send(body as object);
  const invoice = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    customerId: 'acme',
    amount: { value: '10.50', currency: 'EUR' },
    ...extra,
  });
  const typesIn = async (stream: string) =>
    (await store.readStream(stream)).map((event) => event.type);

  beforeAll(async () => {
    const started = await backend.startService('write_path');
    stopBackend = started.stop;
    app = await serveServiceApp({
      env: {
        ...started.env,
        ANTAEUS_API_TOKEN: TOKEN,
        ANTAEUS_INSTANCE_ID: 'write-path-e2e',
        ANTAEUS_SEED: 'false',
        DATABASE_POOL_SIZE: '4',
      },
      idempotentProvider: false,
      tuning: { providerRetryDelayMs: () => 1, runPollIntervalMs: 20, projectionWaitMs: 10_000 },
      logger: ['error'],
    });
    store = app.get(EVENT_STORE);
  });

  afterAll(async () => {
    await app?.close();
    await stopBackend?.();
  });

  it('registers a customer once: 201, the same body 200, another body 409 naming the fields', async () => {
    const body = { id: 'acme', currency: 'EUR', name: 'Acme Ltd', email: 'billing@acme.example' };
    const created = await post('/rest/v1/customers', body).expect(201);
    const again = await post('/rest/v1/customers', body).expect(200);
    const other = await post('/rest/v1/customers', { ...body, currency: 'USD', name: 'Other' });

    expect(created.body).toMatchObject({
      id: 'acme',
      customerId: 'acme',
      currency: 'EUR',
      name: 'Acme Ltd',
      email: 'billing@acme.example',
      revision: '0',
    });
    expect(again.body).toEqual(created.body);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'CUSTOMER_CONFLICT' });
    expect(other.body.message).toMatch(/another currency, name$/);
    expect(await typesIn('customer-acme')).toEqual(['CustomerRegistered']);
    await waitFor(async () => (await get('/rest/v1/customers/acme')).status === 200, {
      message: 'the customer on the read side',
    });
    const read = await get('/rest/v1/customers/acme').expect(200);
    expect(read.body).toEqual({
      id: 'acme',
      customerId: 'acme',
      currency: 'EUR',
      invoices: 0,
      name: 'Acme Ltd',
      email: 'billing@acme.example',
    });
  });

  it('issues an invoice PENDING: 201, the same body 200, another body 409', async () => {
    const body = invoice('inv-1', { dueDate: '2026-02-28', description: 'February' });
    const created = await post('/rest/v1/invoices', body).expect(201);
    const again = await post('/rest/v1/invoices', {
      ...body,
      amount: { value: '10.5', currency: 'EUR' },
    });
    const other = await post('/rest/v1/invoices', {
      ...body,
      amount: { value: '11.00', currency: 'EUR' },
    });

    expect(created.body).toMatchObject({
      id: 'inv-1',
      invoiceId: 'inv-1',
      customerId: 'acme',
      amount: { value: '10.50', currency: 'EUR' },
      status: 'PENDING',
      dueDate: '2026-02-28',
      description: 'February',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'ALREADY_ISSUED' });
    expect(other.body.message).toMatch(/another amount$/);
    expect(await typesIn('invoice-inv-1')).toEqual(['InvoiceIssued']);
    await waitFor(async () => (await get('/rest/v1/invoices/inv-1')).status === 200, {
      message: 'the invoice on the read side',
    });
    const read = await get('/rest/v1/invoices/inv-1').expect(200);
    expect(read.body).toMatchObject({
      id: 'inv-1',
      customerId: 'acme',
      amount: { value: '10.50', currency: 'EUR' },
      status: 'PENDING',
    });
  });

  it('refuses an invoice for an unknown customer or in another currency with 422', async () => {
    const unknown = await post('/rest/v1/invoices', invoice('inv-x', { customerId: 'nobody' }));
    const currency = await post(
      '/rest/v1/invoices',
      invoice('inv-y', { amount: { value: '1.00', currency: 'USD' } }),
    );

    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    expect(currency.status).toBe(422);
    expect(currency.body).toMatchObject({ code: 'CURRENCY_MISMATCH' });
    expect(await typesIn('invoice-inv-x')).toEqual([]);
    expect(await typesIn('invoice-inv-y')).toEqual([]);
  });

  it.each([
    [
      'amount "10.005"',
      invoice('b1', { amount: { value: '10.005', currency: 'EUR' } }),
      'amount.value',
    ],
    ['amount "-1"', invoice('b2', { amount: { value: '-1', currency: 'EUR' } }), 'amount.value'],
    ['amount "0"', invoice('b3', { amount: { value: '0', currency: 'EUR' } }), 'amount.value'],
    ['amount "1e3"', invoice('b4', { amount: { value: '1e3', currency: 'EUR' } }), 'amount.value'],
    [
      'amount " 10.00"',
      invoice('b5', { amount: { value: ' 10.00', currency: 'EUR' } }),
      'amount.value',
    ],
    [
      'amount 10.5 (a number)',
      invoice('b6', { amount: { value: 10.5, currency: 'EUR' } }),
      'amount.value',
    ],
    [
      'an amount over 999999999.99',
      invoice('b7', { amount: { value: '1000000000.00', currency: 'EUR' } }),
      'amount.value',
    ],
    [
      'an unknown currency',
      invoice('b8', { amount: { value: '1.00', currency: 'XXX' } }),
      'amount.currency',
    ],
    ['dueDate 2026-02-30', invoice('b9', { dueDate: '2026-02-30' }), 'dueDate'],
    ['an extra field', invoice('b10', { priority: 'high' }), 'priority'],
    [
      'a missing customerId',
      { id: 'b11', amount: { value: '1.00', currency: 'EUR' } },
      'customerId',
    ],
    ['an id with a space', invoice('b 12'), 'id'],
    ['an id with a NUL', invoice('b\u000013'), 'id'],
    ['an id over 128 characters', invoice('b'.repeat(129)), 'id'],
    ['a description that is not a string', invoice('b14', { description: 5 }), 'description'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_, body, field) => {
    const response = await post('/rest/v1/invoices', body).expect(400);

    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(response.body.message).toContain(field);
    const id = (body as { id: string }).id;
    if (/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(id))
      expect(await typesIn(`invoice-${id}`)).toEqual([]);
  });

  it.each([
    ['an unknown currency', { id: 'c-bad', currency: 'XXX' }, 'currency'],
    ['a missing currency', { id: 'c-bad' }, 'currency'],
    ['an extra field', { id: 'c-bad', currency: 'EUR', vip: true }, 'vip'],
    ['an id with a space', { id: 'c bad', currency: 'EUR' }, 'id'],
    ['an email that is not one', { id: 'c-bad', currency: 'EUR', email: 'nope' }, 'email'],
  ])('refuses a customer with %s: 400 naming the field', async (_, body, field) => {
    const response = await post('/rest/v1/customers', body).expect(400);

    expect(response.body.message).toContain(field);
    expect(await typesIn('customer-c-bad')).toEqual([]);
  });

  it('lists each bad field of one invoice in errors, by its path from the body', async () => {
    const response = await post('/rest/v1/invoices', {
      id: 'one-bad',
      amount: { value: 10.5, currency: 'XXX' },
      priority: 'high',
    }).expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message:
        'priority: is not a known property; customerId: is required; ' +
        'amount.value: must be a decimal string such as "10.50", not a number; ' +
        `amount.currency: must be one of ${CURRENCIES.join(', ')}`,
      errors: [
        { field: 'priority', code: 'VALIDATION_FAILED', message: 'is not a known property' },
        { field: 'customerId', code: 'VALIDATION_FAILED', message: 'is required' },
        {
          field: 'amount.value',
          code: 'VALIDATION_FAILED',
          message: 'must be a decimal string such as "10.50", not a number',
        },
        {
          field: 'amount.currency',
          code: 'VALIDATION_FAILED',
          message: `must be one of ${CURRENCIES.join(', ')}`,
        },
      ],
    });
    expect(await typesIn('invoice-one-bad')).toEqual([]);
  });

  it('answers 413 for a body over 1 MB', async () => {
    const response = await post(
      '/rest/v1/invoices',
      invoice('big', { description: 'x'.repeat(1_100_000) }),
    );

    expect(response.status).toBe(413);
    expect(await typesIn('invoice-big')).toEqual([]);
  });

  it('writes a batch all or nothing: one invalid entry writes none and lists each by index', async () => {
    const refused = await post('/rest/v1/invoices/batch', {
      invoices: [
        invoice('batch-1'),
        invoice('batch-2', { amount: { value: '1.005', currency: 'EUR' } }),
        invoice('batch-3', { dueDate: '2026-13-01' }),
      ],
    }).expect(400);
    const unknownCustomer = await post('/rest/v1/invoices/batch', {
      invoices: [invoice('batch-1'), invoice('batch-4', { customerId: 'nobody' })],
    }).expect(422);

    expect(refused.body.message).toMatch(
      /invoices\[1\]\.amount\.value: .*invoices\[2\]\.dueDate: /,
    );
    expect(unknownCustomer.body).toMatchObject({ code: 'INVALID_BATCH' });
    expect(unknownCustomer.body.message).toContain('invoices[1] (batch-4): CUSTOMER_NOT_FOUND');
    expect(await typesIn('invoice-batch-1')).toEqual([]);

    const body = {
      invoices: [
        invoice('batch-1'),
        invoice('batch-2'),
        invoice('inv-1', { dueDate: '2026-02-28', description: 'February' }),
      ],
    };
    const created = await post('/rest/v1/invoices/batch', body).expect(201);
    const again = await post('/rest/v1/invoices/batch', body).expect(200);

    expect(created.body.created).toBe(2);
    expect(created.body.invoices.map((each: { id: string }) => each.id)).toEqual([
      'batch-1',
      'batch-2',
      'inv-1',
    ]);
    expect(again.body).toEqual({ ...created.body, created: 0 });
    expect(await typesIn('invoice-batch-2')).toEqual(['InvoiceIssued']);
  });

  it('lists every problem of a batch in one answer: malformed fields and refusals, by index', async () => {
    await post('/rest/v1/invoices', invoice('mixed-0', { description: 'first' })).expect(201);
    const answer = await post('/rest/v1/invoices/batch', {
      invoices: [
        invoice('mixed-0', { description: 'other' }),
        invoice('mixed-1', { amount: { value: '-1', currency: 'EUR' } }),
        invoice('mixed-2', { customerId: 'nobody' }),
        invoice('mixed-3', { amount: { value: '1.00', currency: 'USD' } }),
        invoice('mixed-4'),
        invoice('mixed-4'),
      ],
    }).expect(400);

    expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    const listed = String(answer.body.message).split('; ');
    expect(listed[0]).toMatch(
      /^5 invoice\(s\) of the batch refused, none written: invoices\[0\] \(mixed-0\): ALREADY_ISSUED: .*description$/,
    );
    expect(listed.slice(1).map((each) => each.replace(/: .*/, ''))).toEqual([
      'invoices[1].amount.value',
      'invoices[2] (mixed-2)',
      'invoices[3] (mixed-3)',
      'invoices[5].id',
    ]);
    expect(listed[2]).toContain('CUSTOMER_NOT_FOUND');
    expect(listed[3]).toContain('CURRENCY_MISMATCH');
    expect(listed[4]).toBe('invoices[5].id: repeats invoices[4].id');
    // The same problems, one element each, for a client to map back to its entries.
    expect(answer.body.errors).toEqual([
      {
        index: 0,
        id: 'mixed-0',
        code: 'ALREADY_ISSUED',
        message: 'invoice mixed-0 is already issued (PENDING) with another description',
      },
      {
        index: 1,
        id: 'mixed-1',
        field: 'amount.value',
        code: 'VALIDATION_FAILED',
        message:
          'must be a positive decimal with at most 2 fraction digits, at most 999999999.99, got "-1"',
      },
      {
        index: 2,
        id: 'mixed-2',
        code: 'CUSTOMER_NOT_FOUND',
        message: 'customer nobody is not registered',
      },
      {
        index: 3,
        id: 'mixed-3',
        code: 'CURRENCY_MISMATCH',
        message: 'customer acme is billed in EUR, not USD',
      },
      {
        index: 5,
        id: 'mixed-4',
        field: 'id',
        code: 'VALIDATION_FAILED',
        message: 'repeats invoices[4].id',
      },
    ]);
    for (const id of ['mixed-1', 'mixed-2', 'mixed-3', 'mixed-4']) {
      expect(await typesIn(`invoice-${id}`)).toEqual([]);
    }

    const refusedOnly = await post('/rest/v1/invoices/batch', {
      invoices: [invoice('mixed-4'), invoice('mixed-0', { description: 'other' })],
    }).expect(409);
    expect(refusedOnly.body).toMatchObject({ code: 'INVALID_BATCH' });
    expect(refusedOnly.body.message).toMatch(
      /^1 invoice\(s\) .*invoices\[1\] \(mixed-0\): ALREADY_ISSUED/,
    );
    expect(refusedOnly.body.errors).toEqual([
      {
        index: 1,
        id: 'mixed-0',
        code: 'ALREADY_ISSUED',
        message: 'invoice mixed-0 is already issued (PENDING) with another description',
      },
    ]);

    // An entry whose id is malformed too: listed without an id.
    const badId = await post('/rest/v1/invoices/batch', {
      invoices: [invoice('mixed-6'), invoice('bad id', { dueDate: '2026-13-01' })],
    }).expect(400);
    expect(badId.body.errors).toEqual([
      {
        index: 1,
        field: 'id',
        code: 'VALIDATION_FAILED',
        message:
          'must be letters, digits, "_", ".", ":" or "-", starting with a letter or digit, at most 128 characters',
      },
      {
        index: 1,
        field: 'dueDate',
        code: 'VALIDATION_FAILED',
        message: 'must be a calendar date YYYY-MM-DD, got "2026-13-01"',
      },
    ]);
    expect(await typesIn('invoice-mixed-6')).toEqual([]);
  });

  /**
   * Another writer issues one of the batch's ids between the batch's read and its append:
   * the batch reads and decides again. The store is wrapped so the other write lands
   * just before the batch's first append of many streams.
   */
  function raceBeforeTheBatchAppends(otherWriter: () => Promise<unknown>): () => void {
    const target = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const methods = ['appendAll', 'appendMany'].filter((name) => name in target);
    const originals = methods.map((name) => [name, target[name]] as const);
    let raced = false;
    for (const [name, original] of originals) {
      target[name] = async (...args: unknown[]) => {
        if (!raced) {
          raced = true;
          await otherWriter();
        }
        return original.apply(store, args);
      };
    }
    return () => {
      for (const [name, original] of originals) target[name] = original;
    };
  }

  it('a batch racing another writer of one of its ids with other facts: nothing of it is written (on EventStoreDB, the streams before that one stay)', async () => {
    const restore = raceBeforeTheBatchAppends(() =>
      post('/rest/v1/invoices', invoice('race-3', { description: 'the other writer' })).expect(201),
    );
    try {
      const answer = await post('/rest/v1/invoices/batch', {
        invoices: [invoice('race-1'), invoice('race-2'), invoice('race-3')],
      }).expect(409);

      expect(answer.body).toMatchObject({ code: 'INVALID_BATCH' });
      expect(answer.body.message).toMatch(
        /^1 invoice\(s\) .*: invoices\[2\] \(race-3\): ALREADY_ISSUED: .*description$/,
      );
      // EventStoreDB has no multi-stream transaction: appended in order, the streams
      // before the conflict stay (docs/api.md, docs/design.md §1.2).
      const rest = backend.name === 'EventStoreDB' ? ['InvoiceIssued'] : [];
      expect(await typesIn('invoice-race-1')).toEqual(rest);
      expect(await typesIn('invoice-race-2')).toEqual(rest);
      expect(await typesIn('invoice-race-3')).toEqual(['InvoiceIssued']);
    } finally {
      restore();
    }
  });

  it('a batch racing another writer of one of its ids with the same facts: all issued, that one as already there', async () => {
    const restore = raceBeforeTheBatchAppends(() =>
      post('/rest/v1/invoices', invoice('race-5')).expect(201),
    );
    try {
      const answer = await post('/rest/v1/invoices/batch', {
        invoices: [invoice('race-4'), invoice('race-5'), invoice('race-6')],
      }).expect(201);

      expect(answer.body.created).toBe(2);
      expect(answer.body.invoices.map((each: { id: string }) => each.id)).toEqual([
        'race-4',
        'race-5',
        'race-6',
      ]);
      for (const id of ['race-4', 'race-5', 'race-6']) {
        expect(await typesIn(`invoice-${id}`)).toEqual(['InvoiceIssued']);
      }
    } finally {
      restore();
    }
  });

  it('names the API key that registered, issued or batched in the events (invariant 9)', async () => {
    const keyOf = async (stream: string) =>
      (await store.readStream(stream)).map((event) => event.metadata.apiKeyName);

    expect(await keyOf('customer-acme')).toEqual(['api-token']);
    expect(await keyOf('invoice-inv-1')).toEqual(['api-token']);
    expect(await keyOf('invoice-batch-1')).toEqual(['api-token']);
  });

  it.each([
    ['no invoices', []],
    ['1,001 invoices', Array.from({ length: 1001 }, (_, i) => invoice(`many-${i}`))],
  ])('refuses a batch of %s with 400', async (_, invoices) => {
    const response = await post('/rest/v1/invoices/batch', { invoices }).expect(400);

    expect(response.body.message).toMatch(/^invoices: must hold 1 to 1000 invoices/);
  });

  it('voids a PENDING invoice for good: VOID is listed, never charged, and cannot be voided again', async () => {
    await post('/rest/v1/invoices', invoice('to-void')).expect(201);
    const voided = await post('/rest/v1/invoices/to-void/void', { reason: 'duplicate' }).expect(
      202,
    );
    const again = await post('/rest/v1/invoices/to-void/void', { reason: 'again' }).expect(409);
    const noReason = await post('/rest/v1/invoices/batch-1/void', {}).expect(400);
    const missing = await post('/rest/v1/invoices/nope/void', { reason: 'x' }).expect(404);

    expect(voided.body).toMatchObject({ invoiceId: 'to-void', status: 'VOID' });
    expect(again.body).toMatchObject({ code: 'NOT_VOIDABLE' });
    expect(again.body.message).toMatch(/is VOID; only PENDING or FAILED/);
    expect(noReason.body.message).toMatch(/reason/);
    expect(missing.body).toMatchObject({ code: 'INVOICE_NOT_FOUND' });
    await waitFor(async () => (await get('/rest/v1/invoices/status/VOID')).body.total === 1, {
      message: 'the VOID invoice on the read side',
    });

    const provider = app.get(SimulatedPaymentProvider, { strict: false });
    provider.script('inv-1', 'paid');
    const run = await server().post('/rest/v1/billing-runs').set(auth).expect(202);
    await waitFor(
      async () =>
        (await get(`/rest/v1/billing-runs/${run.body.runId}`)).body.status === 'COMPLETED',
      { timeoutMs: 30_000, message: 'the run to complete' },
    );
    const paidVoid = await post('/rest/v1/invoices/inv-1/void', { reason: 'late' }).expect(409);

    expect(await typesIn('invoice-to-void')).toEqual(['InvoiceIssued', 'InvoiceVoided']);
    expect(provider.ledger.entries().some((entry) => entry.invoiceId === 'to-void')).toBe(false);
    expect(provider.ledger.entries().some((entry) => entry.invoiceId === 'inv-1')).toBe(true);
    expect(paidVoid.body.message).toMatch(/is PAID/);
  });
});
