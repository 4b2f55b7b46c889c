import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { FailureView } from '../../src/api/read-models/invoice-read-model.port';
import { createTestApp, TEST_AUTH } from './support/create-test-app';
import type { FakeWorld } from './support/fake-world';

const STATUS_RULE =
  'status must be one of PENDING, PROCESSING, PAID, FAILED, UNKNOWN, VOID (in any case)';

describe('invoice reads', () => {
  let app: INestApplication;
  let world: FakeWorld;

  beforeEach(async () => {
    ({ app, world } = await createTestApp());
  });

  afterEach(async () => {
    await app.close();
  });

  const get = (path: string) => request(app.getHttpServer()).get(path).set(TEST_AUTH);

  describe('GET /rest/v1/invoices', () => {
    it('pages every invoice in invoice-id order, with defaults page 0 and size 50', async () => {
      for (const id of ['10', '2', '1', 'a']) world.addInvoice(id, 'PENDING');

      const response = await get('/rest/v1/invoices').expect(200);

      expect(response.body).toMatchObject({ page: 0, size: 50, total: 4 });
      expect(response.body.items.map((item: { invoiceId: string }) => item.invoiceId)).toEqual([
        '1',
        '2',
        'a',
        '10',
      ]);
    });

    it('serves later pages and an empty page past the end', async () => {
      for (const id of ['1', '2', '3', '4', '5']) world.addInvoice(id, 'PAID');

      const second = await get('/rest/v1/invoices?page=1&size=2').expect(200);
      const past = await get('/rest/v1/invoices?page=9&size=2').expect(200);

      expect(second.body.items.map((item: { invoiceId: string }) => item.invoiceId)).toEqual([
        '3',
        '4',
      ]);
      expect(second.body).toMatchObject({ page: 1, size: 2, total: 5, next: '4' });
      expect(past.body).toEqual({ items: [], page: 9, size: 2, total: 5, next: null });
    });

    it('walks every invoice by cursor: each next is the following page, null at the end', async () => {
      for (const id of ['10', '2', '1', 'a', '3']) world.addInvoice(id, 'PENDING');

      const pages = [];
      let after: string | null = null;
      do {
        const query: string = after === null ? 'size=2' : `size=2&after=${after}`;
        const { body } = await get(`/rest/v1/invoices?${query}`).expect(200);
        pages.push(body.items.map((item: { invoiceId: string }) => item.invoiceId));
        expect(body).toMatchObject({ size: 2, total: 5 });
        after = body.next;
      } while (after !== null);

      expect(pages).toEqual([['1', '2'], ['3', 'a'], ['10']]);
    });

    it('starts after a cursor that is not an invoice id', async () => {
      for (const id of ['1', '2', '10']) world.addInvoice(id, 'PENDING');

      const response = await get('/rest/v1/invoices?after=5').expect(200);

      expect(response.body).toEqual(
        expect.objectContaining({ page: null, size: 50, total: 3, next: null }),
      );
      expect(response.body.items.map((item: { invoiceId: string }) => item.invoiceId)).toEqual([
        '10',
      ]);
    });
  });

  describe('GET /rest/v1/invoices/{invoiceId}', () => {
    it('answers the invoice with money as a decimal string and the revision as a string', async () => {
      world.addInvoice('42', 'FAILED', {
        customerId: '7',
        amount: { value: '0.30', currency: 'DKK' },
        attempts: 2,
        // Beyond 2^53: a JSON number would round it; the string carries it exactly.
        revision: 9_007_199_254_740_993n,
        dueDate: '2026-11-30',
        description: 'November',
        lastFailure: {
          attempt: 2,
          reason: 'INSUFFICIENT_FUNDS',
          message: 'balance too low',
          retryable: true,
          failedAt: '2026-11-01T00:00:05.000Z',
        },
      });

      const response = await get('/rest/v1/invoices/42').expect(200);

      expect(response.body).toEqual({
        id: '42',
        invoiceId: '42',
        customerId: '7',
        amount: { value: '0.30', currency: 'DKK' },
        status: 'FAILED',
        dueDate: '2026-11-30',
        description: 'November',
        attempts: 2,
        lastFailure: {
          attempt: 2,
          reason: 'INSUFFICIENT_FUNDS',
          message: 'balance too low',
          retryable: true,
          failedAt: '2026-11-01T00:00:05.000Z',
        },
        processingSince: null,
        nextRetryAt: null,
        retriesLeft: null,
        retriesExhausted: false,
        revision: '9007199254740993',
        issuedAt: '2026-10-31T12:00:00.000Z',
        updatedAt: '2026-11-01T00:00:02.000Z',
      });
    });

    it('answers 404 with the error body for an unknown invoice', async () => {
      const response = await get('/rest/v1/invoices/404').expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'INVOICE_NOT_FOUND',
        message: 'Invoice 404 does not exist',
      });
    });

    it('answers 400 naming invoiceId for an id the domain does not accept', async () => {
      const response = await get('/rest/v1/invoices/-starts-with-dash').expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.message).toMatch(/^invoiceId must be /);
    });
  });

  describe('GET /rest/v1/invoices/status/{status}', () => {
    beforeEach(() => {
      world.addInvoice('3', 'PAID');
      world.addInvoice('1', 'PAID');
      world.addInvoice('2', 'FAILED');
      world.addInvoice('11', 'PAID');
      world.addInvoice('5', 'UNKNOWN');
    });

    it.each(['PAID', 'paid', 'Paid', 'pAiD'])(
      'accepts the status in any case: %s',
      async (status) => {
        const response = await get(`/rest/v1/invoices/status/${status}`).expect(200);

        expect(response.body).toMatchObject({ page: 0, size: 50, total: 3 });
        expect(response.body.items.map((item: { invoiceId: string }) => item.invoiceId)).toEqual([
          '1',
          '3',
          '11',
        ]);
        expect(
          response.body.items.every((item: { status: string }) => item.status === 'PAID'),
        ).toBe(true);
      },
    );

    it('pages in invoice-id order', async () => {
      const response = await get('/rest/v1/invoices/status/paid?page=1&size=2').expect(200);

      expect(response.body).toMatchObject({ page: 1, size: 2, total: 3, next: null });
      expect(response.body.items.map((item: { invoiceId: string }) => item.invoiceId)).toEqual([
        '11',
      ]);
    });

    it('pages after a cursor, within the status', async () => {
      const first = await get('/rest/v1/invoices/status/paid?size=2').expect(200);
      const second = await get(`/rest/v1/invoices/status/paid?size=2&after=${first.body.next}`);

      expect(first.body).toMatchObject({ page: 0, total: 3, next: '3' });
      expect(second.body).toMatchObject({ page: null, size: 2, total: 3, next: null });
      expect(second.body.items.map((item: { invoiceId: string }) => item.invoiceId)).toEqual([
        '11',
      ]);
    });

    it('answers an empty page for a status no invoice has', async () => {
      const response = await get('/rest/v1/invoices/status/processing').expect(200);

      expect(response.body).toEqual({ items: [], page: 0, size: 50, total: 0, next: null });
    });

    it.each(['DONE', 'pending1', 'PAID,FAILED', '%20PAID'])(
      'answers 400 naming status for %s',
      async (status) => {
        const response = await get(`/rest/v1/invoices/status/${status}`).expect(400);

        expect(response.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
          message: STATUS_RULE,
          // A path parameter is no body field: the refusal is one item, without a field.
          errors: [{ code: 'VALIDATION_FAILED', message: STATUS_RULE }],
        });
      },
    );
  });

  describe('GET /rest/v1/invoices/retries/{awaiting,exhausted}', () => {
    const ids = (body: { items: { invoiceId: string }[] }) =>
      body.items.map((item) => item.invoiceId);

    beforeEach(() => {
      const retry = { retriesLeft: 2, retriesExhausted: false };
      world.addInvoice('10', 'FAILED', { ...retry, nextRetryAt: '2026-12-06T08:00:00.000Z' });
      world.addInvoice('2', 'FAILED', { ...retry, nextRetryAt: '2026-12-04T08:00:00.000Z' });
      world.addInvoice('3', 'FAILED', { retriesLeft: 0, retriesExhausted: true });
      world.addInvoice('4', 'PAID');
      world.addInvoice('5', 'PENDING'); // requeued: its retry cancelled
    });

    it('pages the invoices awaiting a retry in invoice-id order, with the retry time', async () => {
      const first = await get('/rest/v1/invoices/retries/awaiting?size=1').expect(200);
      const second = await get(
        `/rest/v1/invoices/retries/awaiting?size=1&after=${first.body.next}`,
      );

      expect(first.body).toMatchObject({ page: 0, size: 1, total: 2, next: '2' });
      expect(first.body.items).toEqual([
        expect.objectContaining({
          invoiceId: '2',
          status: 'FAILED',
          nextRetryAt: '2026-12-04T08:00:00.000Z',
          retriesLeft: 2,
          retriesExhausted: false,
        }),
      ]);
      expect(second.body).toMatchObject({ page: null, size: 1, total: 2, next: null });
      expect(ids(second.body)).toEqual(['10']);
    });

    it('lists the invoices whose retries are exhausted, apart from those awaiting one', async () => {
      const response = await get('/rest/v1/invoices/retries/exhausted').expect(200);

      expect(response.body).toMatchObject({ page: 0, size: 50, total: 1, next: null });
      expect(response.body.items).toEqual([
        expect.objectContaining({
          invoiceId: '3',
          nextRetryAt: null,
          retriesLeft: 0,
          retriesExhausted: true,
        }),
      ]);
    });
  });

  describe('GET /rest/v1/invoices/failed/{invoiceId}', () => {
    it('lists the failures oldest first, with the status', async () => {
      world.addInvoice('9', 'UNKNOWN', { attempts: 3 });
      const failures: FailureView[] = [
        {
          attempt: 1,
          reason: 'NETWORK',
          message: 'connection refused',
          retryable: true,
          failedAt: '2026-11-01T00:00:01.000Z',
          retry: 0,
          then: {
            kind: 'retry',
            retryNumber: 1,
            at: '2026-11-01T01:00:01.000Z',
            policy: 'default',
          },
        },
        {
          attempt: 2,
          reason: 'INSUFFICIENT_FUNDS',
          message: 'balance too low',
          retryable: true,
          failedAt: '2026-12-01T00:00:01.000Z',
          retry: 0,
          then: { kind: 'exhausted', retriesMade: 0, policy: 'no-retries' },
        },
        {
          attempt: 3,
          reason: 'ATTEMPT_TIMED_OUT',
          message: 'open for 60000 ms',
          retryable: false,
          failedAt: '2027-01-01T00:01:01.000Z',
          retry: 0,
          then: null,
        },
      ];
      world.failures.set('9', failures);

      const response = await get('/rest/v1/invoices/failed/9').expect(200);

      expect(response.body).toEqual({ invoiceId: '9', status: 'UNKNOWN', failures });
    });

    it('answers an empty list for an invoice that never failed', async () => {
      world.addInvoice('8', 'PAID');

      const response = await get('/rest/v1/invoices/failed/8').expect(200);

      expect(response.body).toEqual({ invoiceId: '8', status: 'PAID', failures: [] });
    });

    it('answers 404 for an unknown invoice', async () => {
      const response = await get('/rest/v1/invoices/failed/8').expect(404);

      expect(response.body.code).toBe('INVOICE_NOT_FOUND');
    });

    it('answers 400 naming invoiceId for a bad id', async () => {
      const response = await get('/rest/v1/invoices/failed/a%20b').expect(400);

      expect(response.body.message).toMatch(/^invoiceId must be /);
    });
  });

  describe('GET /rest/v1/invoices/{invoiceId}/events', () => {
    it("answers the invoice's stream oldest first, revisions as strings", async () => {
      world.streams.set('invoice-42', [
        {
          id: 'e1',
          stream: 'invoice-42',
          revision: 0n,
          position: { commit: 10n, prepare: 1n },
          type: 'InvoiceIssued',
          data: { invoiceId: '42', amount: { value: '5.00', currency: 'EUR' } },
          metadata: {},
          createdAt: new Date('2026-10-31T12:00:00.000Z'),
        },
        {
          id: 'e2',
          stream: 'invoice-42',
          revision: 1n,
          position: { commit: 11n, prepare: 2n },
          type: 'ChargeAttempted',
          data: { invoiceId: '42', attempt: 1 },
          metadata: { instanceId: 'i', apiKeyName: 'ops-oncall' },
          createdAt: new Date('2026-11-01T00:00:00.000Z'),
        },
      ]);

      const response = await get('/rest/v1/invoices/42/events').expect(200);

      expect(response.body).toEqual({
        invoiceId: '42',
        events: [
          {
            revision: '0',
            type: 'InvoiceIssued',
            data: { invoiceId: '42', amount: { value: '5.00', currency: 'EUR' } },
            createdAt: '2026-10-31T12:00:00.000Z',
            apiKeyName: null,
          },
          {
            revision: '1',
            type: 'ChargeAttempted',
            data: { invoiceId: '42', attempt: 1 },
            createdAt: '2026-11-01T00:00:00.000Z',
            apiKeyName: 'ops-oncall',
          },
        ],
      });
    });

    it('answers 404 when the stream does not exist', async () => {
      const response = await get('/rest/v1/invoices/43/events').expect(404);

      expect(response.body).toMatchObject({ statusCode: 404, code: 'INVOICE_NOT_FOUND' });
    });
  });
});
