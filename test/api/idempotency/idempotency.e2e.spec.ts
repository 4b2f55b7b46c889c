import request from 'supertest';
import { IDEMPOTENCY_LEASE_MS } from '../../../src/api/idempotency/idempotency-store';
import { requestFingerprint } from '../../../src/api/idempotency/request-fingerprint';
import { billingRunStream, customerStream } from '../../../src/billing/domain';
import { requestIdOf } from '../../../src/billing/store/event-metadata';
import {
  AUTH,
  eventsIn,
  eventsOfType,
  seedInvoice,
  startIdempotencyApp,
  type IdempotencyApp,
} from './idempotency-app';
import { backendsWith } from '../../support/backends';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a keyed request acts on: its path parameters and bodies, fresh for each test. */
interface Target {
  readonly params: Record<string, string>;
  readonly body: object | undefined;
  readonly otherBody: object;
}

/** A POST route with Idempotency-Key, and how to count the work it did. */
interface KeyedRoute {
  readonly name: string;
  readonly template: string;
  /** The status of the route's first answer. */
  readonly status: number;
  /** Makes a fresh target. */
  prepare(service: IdempotencyApp, id: string): Promise<Target>;
  path(params: Record<string, string>): string;
  /** The events the route's work wrote for the target (each request's id, if any). */
  work(service: IdempotencyApp, target: Target, id: string): Promise<(string | undefined)[]>;
}

const CUSTOMER = 'idempotency-customer';

/** The customer the invoice routes bill, registered once per service. */
async function ensureCustomer(service: IdempotencyApp): Promise<void> {
  await request(service.app.getHttpServer())
    .post('/rest/v1/customers')
    .set(AUTH)
    .send({ id: CUSTOMER, currency: 'EUR' })
    .expect((response) => expect([200, 201]).toContain(response.status));
}

const newInvoice = (id: string, value = '12.00') => ({
  id,
  customerId: CUSTOMER,
  amount: { value, currency: 'EUR' },
});

const ROUTES: readonly KeyedRoute[] = [
  {
    name: 'requeue',
    template: '/rest/v1/invoices/:invoiceId/requeue',
    status: 202,
    prepare: async ({ events }, id) => {
      await seedInvoice(events, id, 'FAILED');
      return {
        params: { invoiceId: id },
        body: { note: 'card updated' },
        otherBody: { note: 'another note' },
      };
    },
    path: ({ invoiceId }) => `/rest/v1/invoices/${invoiceId}/requeue`,
    work: ({ events }, _, id) => eventsOfType(events, id, 'InvoiceRequeued'),
  },
  {
    name: 'resolve',
    template: '/rest/v1/invoices/:invoiceId/resolve',
    status: 202,
    prepare: async ({ events }, id) => {
      await seedInvoice(events, id, 'UNKNOWN');
      return {
        params: { invoiceId: id },
        body: { outcome: 'PAID', note: 'checked the dashboard' },
        otherBody: { outcome: 'FAILED', note: 'checked the dashboard' },
      };
    },
    path: ({ invoiceId }) => `/rest/v1/invoices/${invoiceId}/resolve`,
    work: ({ events }, _, id) => eventsOfType(events, id, 'InvoiceResolved'),
  },
  {
    name: 'billing-run start',
    template: '/rest/v1/billing-runs',
    status: 202,
    prepare: async () => ({ params: {}, body: undefined, otherBody: { period: '2025-05' } }),
    path: () => '/rest/v1/billing-runs',
    work: async (service) => {
      const started = await service.db.query<{ request_id: string | null }>(
        "SELECT metadata->>'requestId' AS request_id FROM events WHERE event_type = 'BillingStarted'",
      );
      return started.map((row) => row.request_id ?? undefined);
    },
  },
  {
    name: 'customer registration',
    template: '/rest/v1/customers',
    status: 201,
    prepare: async (_, id) => ({
      params: {},
      body: { id: `c-${id}`, currency: 'EUR', name: 'Acme' },
      otherBody: { id: `c-${id}`, currency: 'EUR', name: 'Other' },
    }),
    path: () => '/rest/v1/customers',
    work: ({ events }, _, id) => eventsIn(events, customerStream(`c-${id}`), 'CustomerRegistered'),
  },
  {
    name: 'invoice creation',
    template: '/rest/v1/invoices',
    status: 201,
    prepare: async (service, id) => {
      await ensureCustomer(service);
      return { params: {}, body: newInvoice(id), otherBody: newInvoice(id, '13.00') };
    },
    path: () => '/rest/v1/invoices',
    work: ({ events }, _, id) => eventsOfType(events, id, 'InvoiceIssued'),
  },
  {
    name: 'invoice batch',
    template: '/rest/v1/invoices/batch',
    status: 201,
    prepare: async (service, id) => {
      await ensureCustomer(service);
      const batch = [newInvoice(`${id}a`), newInvoice(`${id}b`)];
      return {
        params: {},
        body: { invoices: batch },
        otherBody: { invoices: [batch[0]] },
      };
    },
    path: () => '/rest/v1/invoices/batch',
    work: async ({ events }, _, id) => [
      ...(await eventsOfType(events, `${id}a`, 'InvoiceIssued')),
      ...(await eventsOfType(events, `${id}b`, 'InvoiceIssued')),
    ],
  },
  {
    name: 'void',
    template: '/rest/v1/invoices/:invoiceId/void',
    status: 202,
    prepare: async ({ events }, id) => {
      await seedInvoice(events, id, 'FAILED');
      return {
        params: { invoiceId: id },
        body: { reason: 'duplicate' },
        otherBody: { reason: 'customer left' },
      };
    },
    path: ({ invoiceId }) => `/rest/v1/invoices/${invoiceId}/void`,
    work: ({ events }, _, id) => eventsOfType(events, id, 'InvoiceVoided'),
  },
];

/** The events one request of the route writes: one per invoice of a batch. */
function work(route: KeyedRoute): number {
  return route.name === 'invoice batch' ? 2 : 1;
}

// The keys live in the read-model database: PostgreSQL or PGlite.
describe.each(backendsWith('openDatabase'))('Idempotency-Key on $name', (backend) => {
  let service: IdempotencyApp;
  let drop: () => Promise<void>;
  let serial = 0;

  beforeAll(async () => {
    const created = await backend.startService('idempotency');
    drop = created.stop;
    service = await startIdempotencyApp({ ...created.env, DATABASE_POOL_SIZE: '8' });
  });

  afterAll(async () => {
    await service?.close();
    await drop?.();
  });

  const freshId = () => `${Date.now()}${++serial}`;
  const freshKey = () => `key-${freshId()}`;

  /** A fresh target of `route`, and the function that posts to it. */
  async function prepare(route: KeyedRoute) {
    const id = freshId();
    const target = await route.prepare(service, id);
    const post = (key?: string, body?: object) => {
      const req = request(service.app.getHttpServer()).post(route.path(target.params)).set(AUTH);
      if (key !== undefined) req.set('Idempotency-Key', key);
      const sent = body ?? target.body;
      return sent === undefined ? req : req.send(sent);
    };
    /** The work requests with a key did (billing runs: all runs, counted before and after). */
    const workDone = async () =>
      (await route.work(service, target, id)).filter((requestId) => requestId !== undefined).length;
    return { target, post, workDone };
  }

  describe.each(ROUTES)('POST $template', (route) => {
    it('answers the same key and request with the first answer, byte for byte, and does the work once', async () => {
      const { post, workDone } = await prepare(route);
      const key = freshKey();
      const before = await workDone();

      const first = await post(key);
      const again = await post(key);
      const third = await post(key);

      expect(first.status).toBe(route.status);
      for (const replay of [again, third]) {
        expect(replay.status).toBe(first.status);
        expect(replay.text).toBe(first.text);
        expect(replay.headers['idempotent-replayed']).toBe('true');
        expect(replay.headers['content-type']).toBe(first.headers['content-type']);
      }
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(await workDone()).toBe(before + work(route));
    });

    it('refuses the key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing more done', async () => {
      const { target, post, workDone } = await prepare(route);
      const key = freshKey();
      const before = await workDone();

      await post(key).expect(route.status);
      const reused = await post(key, target.otherBody).expect(422);

      expect(reused.body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: expect.stringMatching(/Idempotency-Key was used with another request/),
      });
      expect(await workDone()).toBe(before + work(route));
    });

    it('answers 409 IDEMPOTENCY_KEY_IN_USE while another holds the key, and runs once its lease ended', async () => {
      const { target, post, workDone } = await prepare(route);
      const key = freshKey();
      const before = await workDone();
      // Another instance received the same request and is running it.
      const { params, body } = target;
      const held = await service.keys.begin(
        { principal: 'api-token', route: `POST ${route.template}`, key },
        requestFingerprint({ method: 'POST', route: route.template, params, body }),
      );
      expect(held.kind).toBe('run');

      const inUse = await post(key).expect(409);
      service.clock.advance(IDEMPOTENCY_LEASE_MS + 1);
      const takenOver = await post(key).expect(route.status);
      const replayed = await post(key).expect(route.status);

      expect(inUse.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
      expect(replayed.text).toBe(takenOver.text);
      expect(await workDone()).toBe(before + work(route));
    });

    it('forgets a key after 24 hours: the request runs again', async () => {
      const { post } = await prepare(route);
      const key = freshKey();

      const first = await post(key).expect(route.status);
      service.clock.advance(DAY_MS - 1_000);
      const replay = await post(key);
      service.clock.advance(1_000);
      const afterExpiry = await post(key);

      expect(replay.text).toBe(first.text);
      expect(afterExpiry.headers['idempotent-replayed']).toBeUndefined();
      // A requeue, resolve or void is refused now (the invoice moved on), a create finds
      // what it created (200, not 201), a run starts anew.
      expect({ status: afterExpiry.status, text: afterExpiry.text }).not.toEqual({
        status: first.status,
        text: first.text,
      });
    });

    it.each([
      ['empty', ''],
      ['256 characters long', 'k'.repeat(256)],
      ['not printable ASCII', 'clé-1'],
      ['a tab inside', 'a\tb'],
    ])('answers 400 naming the header for a key that is %s, and does nothing', async (_, key) => {
      const { post, workDone } = await prepare(route);
      const before = await workDone();

      const response = await post(key).expect(400);

      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(response.body.message).toMatch(/^Idempotency-Key must be 1 to 255 printable/);
      expect(await workDone()).toBe(before);
    });

    it('answers 400 for two Idempotency-Key headers', async () => {
      const { post } = await prepare(route);

      const response = await post()
        .set({ 'Idempotency-Key': ['a', 'b'] } as unknown as Record<string, string>)
        .expect(400);

      expect(response.body.message).toBe('Send one Idempotency-Key header, not 2');
    });

    it('accepts a key of 255 characters', async () => {
      const { post } = await prepare(route);
      const key = `${freshKey()}-`.padEnd(255, 'x');

      const first = await post(key).expect(route.status);
      const again = await post(key).expect(route.status);

      expect(again.text).toBe(first.text);
    });

    it('after a crash between the work and storing its answer, a retry does not do the work again and answers as the first would have', async () => {
      const { post, workDone } = await prepare(route);
      const key = freshKey();
      const before = await workDone();
      let lost: { status: number; body: string } | undefined;
      // The instance dies after the work, before the answer is stored: nothing more
      // reaches the database from it, and its lease stays until it runs out.
      const complete = jest
        .spyOn(service.keys, 'complete')
        .mockImplementationOnce(async (_lease, response) => {
          lost = response;
          throw new Error('the process died');
        });
      const release = jest
        .spyOn(service.keys, 'release')
        .mockImplementationOnce(() => Promise.reject(new Error('the process died')));

      try {
        await post(key).expect(500);
        await post(key).expect(409);
        service.clock.advance(IDEMPOTENCY_LEASE_MS + 1);
        const retried = await post(key);
        const replayed = await post(key);

        expect(lost).toBeDefined();
        expect(lost?.status).toBe(route.status);
        expect({ status: retried.status, body: retried.text }).toEqual(lost);
        expect(replayed.text).toBe(retried.text);
        expect(replayed.headers['idempotent-replayed']).toBe('true');
        expect(await workDone()).toBe(before + work(route));
      } finally {
        complete.mockRestore();
        release.mockRestore();
      }
    });
  });

  it('stores a domain refusal and replays it: 409 NOT_FAILED twice', async () => {
    const { post } = await prepare(ROUTES[0]);
    await post().expect(202);
    const key = freshKey();

    const refused = await post(key).expect(409);
    const replayed = await post(key).expect(409);

    expect(refused.body.code).toBe('NOT_FAILED');
    expect(replayed.text).toBe(refused.text);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
  });

  it('keeps nothing for a request its validation refused: the key is free for a valid one', async () => {
    const { post } = await prepare(ROUTES[1]);
    const key = freshKey();

    await post(key, { outcome: 'MAYBE', note: 'x' }).expect(400);
    const accepted = await post(key).expect(202);

    expect(accepted.body).toMatchObject({ status: 'PAID' });
  });

  it('names the request in the events it wrote, and the run it started', async () => {
    const { post } = await prepare(ROUTES[2]);
    const key = freshKey();

    const started = await post(key).expect(202);
    const stream = await service.events.readStream(billingRunStream(started.body.runId));

    expect(requestIdOf(stream[0].metadata)).toEqual(expect.any(String));
  });
});
