import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApp, TEST_AUTH } from './support/create-test-app';
import { validationFailed } from './support/validation-failed';

const INVOICE_ROUTES = [
  '/rest/v1/invoices',
  '/rest/v1/invoices/status/PENDING',
  '/rest/v1/invoices/retries/awaiting',
  '/rest/v1/invoices/retries/exhausted',
];
const LIST_ROUTES = [...INVOICE_ROUTES, '/rest/v1/customers', '/rest/v1/billing-runs'];

const ID_RULE =
  'after must be letters, digits, "_", ".", ":" or "-", starting with a letter or digit, at most 128 characters';
const BAD_CURSORS: [query: string, message: string][] = [
  ['after=-1', ID_RULE],
  ['after=', ID_RULE],
  ['after=a%20b', ID_RULE],
  [`after=${'x'.repeat(129)}`, ID_RULE],
  ['after=1&after=2', ID_RULE],
  [
    'after=10&page=0',
    "page and after cannot be used together: pass after (the previous page's next) alone, or page alone for a shallow page",
  ],
];

const BAD_PAGING: [query: string, message: string][] = [
  ['page=-1', 'page must be between 0 and 1000000'],
  ['page=1000001', 'page must be between 0 and 1000000'],
  ['page=abc', 'page must be a whole number between 0 and 1000000'],
  ['page=1.5', 'page must be a whole number between 0 and 1000000'],
  ['page=', 'page must be a whole number between 0 and 1000000'],
  ['page=1e3', 'page must be a whole number between 0 and 1000000'],
  ['page=99999999999999999999', 'page must be a whole number between 0 and 1000000'],
  ['size=0', 'size must be between 1 and 500'],
  ['size=501', 'size must be between 1 and 500'],
  ['size=-0', 'size must be between 1 and 500'],
  ['size=ten', 'size must be a whole number between 1 and 500'],
  ['size=0x10', 'size must be a whole number between 1 and 500'],
  ['size=1&size=2', 'size must be a whole number between 1 and 500'],
  ['pageSize=10', 'pageSize is not a known property'],
  ['page[$gt]=0', 'page[$gt] is not a known property'],
];

describe('paging of every list route', () => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp());
  });

  afterAll(async () => {
    await app.close();
  });

  describe.each(LIST_ROUTES)('%s', (route) => {
    it.each(BAD_PAGING)('answers 400 for ?%s, naming the parameter', async (query, message) => {
      const response = await request(app.getHttpServer())
        .get(`${route}?${query}`)
        .set(TEST_AUTH)
        .expect(400);

      expect(response.body).toEqual(validationFailed(message));
    });

    it('names every bad parameter at once', async () => {
      const response = await request(app.getHttpServer())
        .get(`${route}?page=-1&size=0`)
        .set(TEST_AUTH)
        .expect(400);

      expect(response.body.message).toBe(
        'page must be between 0 and 1000000; size must be between 1 and 500',
      );
      expect(response.body.errors).toEqual([
        { field: 'page', code: 'VALIDATION_FAILED', message: 'must be between 0 and 1000000' },
        { field: 'size', code: 'VALIDATION_FAILED', message: 'must be between 1 and 500' },
      ]);
    });

    it.each([
      ['page=0&size=1', 0, 1],
      ['page=1000000&size=500', 1_000_000, 500],
      ['size=7', 0, 7],
      ['', 0, 50],
    ])('accepts ?%s', async (query, page, size) => {
      const response = await request(app.getHttpServer())
        .get(`${route}?${query}`)
        .set(TEST_AUTH)
        .expect(200);

      const empty = INVOICE_ROUTES.includes(route)
        ? { items: [], page, size, total: 0, next: null }
        : { items: [], page, size, total: 0 };
      expect(response.body).toEqual(empty);
    });
  });

  describe.each(INVOICE_ROUTES)('%s with a cursor', (route) => {
    it.each(BAD_CURSORS)('answers 400 for ?%s, naming the parameter', async (query, message) => {
      const response = await request(app.getHttpServer())
        .get(`${route}?${query}`)
        .set(TEST_AUTH)
        .expect(400);

      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message });
    });

    it.each([
      ['after=10', 50],
      [`after=${'x'.repeat(128)}&size=3`, 3],
    ])('accepts ?%s, answering page null', async (query, size) => {
      const response = await request(app.getHttpServer())
        .get(`${route}?${query}`)
        .set(TEST_AUTH)
        .expect(200);

      expect(response.body).toEqual({ items: [], page: null, size, total: 0, next: null });
    });
  });
});
