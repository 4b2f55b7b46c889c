import request from 'supertest';
import { IDEMPOTENCY_LEASE_MS } from '../../../src/api/idempotency/idempotency-store';
import { requestFingerprint } from '../../../src/api/idempotency/request-fingerprint';
import { billingRunStream } from '../../../src/billing/domain';
import { requestIdOf } from '../../../src/billing/store/event-metadata';
import type { EventStore } from '../../../src/event-store/event-store.port';
import {
  AUTH,
  eventsOfType,
  seedInvoice,
  startIdempotencyApp,
  type IdempotencyApp,
} from './idempotency-app';
import { backendsWith } from '../../support/backends';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A POST route with Idempotency-Key, and how to count the work it did. */
interface KeyedRoute {
  readonly name: string;
  readonly template: string;
  /** Makes a fresh target; resolves to its path parameters. */
  prepare(events: EventStore, id: string): Promise<Record<string, string>>;
  path(params: Record<string, string>): string;
  readonly body: object | undefined;
  readonly otherBody: object;
  /** The events the route's work wrote for the target (each request's id, if any). */
  work(service: IdempotencyApp, params: Record<string, string>): Promise<(string | undefined)[]>;
}

const ROUTES: readonly KeyedRoute[] = [
  {
    name: 'requeue',
    template: '/rest/v1/invoices/:invoiceId/requeue',
    prepare: async (events, id) => {
      await seedInvoice(events, id, 'FAILED');
      return { invoiceId: id };
    },
    path: ({ invoiceId }) => `/rest/v1/invoices/${invoiceId}/requeue`,
    body: { note: 'card updated' },
    otherBody: { note: 'another note' },
    work: ({ events }, { invoiceId }) => eventsOfType(events, invoiceId, 'InvoiceRequeued'),
  },
  {
    name: 'resolve',
    template: '/rest/v1/invoices/:invoiceId/resolve',
    prepare: async (events, id) => {
      await seedInvoice(events, id, 'UNKNOWN');
      return { invoiceId: id };
    },
    path: ({ invoiceId }) => `/rest/v1/invoices/${invoiceId}/resolve`,
    body: { outcome: 'PAID', note: 'checked the dashboard' },
    otherBody: { outcome: 'FAILED', note: 'checked the dashboard' },
    work: ({ events }, { invoiceId }) => eventsOfType(events, invoiceId, 'InvoiceResolved'),
  },
  {
    name: 'billing-run start',
    template: '/rest/v1/billing-runs',
    prepare: async () => ({}),
    path: () => '/rest/v1/billing-runs',
    body: undefined,
    otherBody: { period: '2025-05' },
    work: async (service) => {
      const started = await service.db.query<{ request_id: string | null }>(
        "SELECT metadata->>'requestId' AS request_id FROM events WHERE event_type = 'BillingStarted'",
      );
      return started.map((row) => row.request_id ?? undefined);
    },
  },
];

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

  function post(route: KeyedRoute, params: Record<string, string>, key?: string, body?: object) {
    const req = request(service.app.getHttpServer()).post(route.path(params)).set(AUTH);
    if (key !== undefined) req.set('Idempotency-Key', key);
    const sent = body ?? route.body;
    return sent === undefined ? req : req.send(sent);
  }

  /** The work requests with a key did (billing runs: all runs, counted before and after). */
  async function workOf(route: KeyedRoute, params: Record<string, string>) {
    return (await route.work(service, params)).filter((id) => id !== undefined);
  }

  describe.each(ROUTES)('POST $template', (route) => {
    it('answers the same key and request with the first answer, byte for byte, and does the work once', async () => {
      const params = await route.prepare(service.events, freshId());
      const key = freshKey();
      const before = (await workOf(route, params)).length;

      const first = await post(route, params, key);
      const again = await post(route, params, key);
      const third = await post(route, params, key);

      expect(first.status).toBe(202);
      for (const replay of [again, third]) {
        expect(replay.status).toBe(first.status);
        expect(replay.text).toBe(first.text);
        expect(replay.headers['idempotent-replayed']).toBe('true');
        expect(replay.headers['content-type']).toBe(first.headers['content-type']);
      }
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect((await workOf(route, params)).length).toBe(before + 1);
    });

    it('refuses the key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing more done', async () => {
      const params = await route.prepare(service.events, freshId());
      const key = freshKey();
      const before = (await workOf(route, params)).length;

      await post(route, params, key).expect(202);
      const reused = await post(route, params, key, route.otherBody).expect(422);

      expect(reused.body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: expect.stringMatching(/Idempotency-Key was used with another request/),
      });
      expect((await workOf(route, params)).length).toBe(before + 1);
    });

    it('answers 409 IDEMPOTENCY_KEY_IN_USE while another holds the key, and runs once its lease ended', async () => {
      const params = await route.prepare(service.events, freshId());
      const key = freshKey();
      const before = (await workOf(route, params)).length;
      // Another instance received the same request and is running it.
      const held = await service.keys.begin(
        { principal: 'api-token', route: `POST ${route.template}`, key },
        requestFingerprint({ method: 'POST', route: route.template, params, body: route.body }),
      );
      expect(held.kind).toBe('run');

      const inUse = await post(route, params, key).expect(409);
      service.clock.advance(IDEMPOTENCY_LEASE_MS + 1);
      const takenOver = await post(route, params, key).expect(202);
      const replayed = await post(route, params, key).expect(202);

      expect(inUse.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
      expect(replayed.text).toBe(takenOver.text);
      expect((await workOf(route, params)).length).toBe(before + 1);
    });

    it('forgets a key after 24 hours: the request runs again', async () => {
      const params = await route.prepare(service.events, freshId());
      const key = freshKey();

      const first = await post(route, params, key).expect(202);
      service.clock.advance(DAY_MS - 1_000);
      const replay = await post(route, params, key);
      service.clock.advance(1_000);
      const afterExpiry = await post(route, params, key);

      expect(replay.text).toBe(first.text);
      expect(afterExpiry.headers['idempotent-replayed']).toBeUndefined();
      // A requeue or resolve is refused now (the invoice moved on); a run starts anew.
      expect(afterExpiry.text).not.toBe(first.text);
    });

    it.each([
      ['empty', ''],
      ['256 characters long', 'k'.repeat(256)],
      ['not printable ASCII', 'clé-1'],
      ['a tab inside', 'a\tb'],
    ])('answers 400 naming the header for a key that is %s, and does nothing', async (_, key) => {
      const params = await route.prepare(service.events, freshId());
      const before = (await workOf(route, params)).length;

      const response = await post(route, params, key).expect(400);

      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(response.body.message).toMatch(/^Idempotency-Key must be 1 to 255 printable/);
      expect((await workOf(route, params)).length).toBe(before);
    });

    it('answers 400 for two Idempotency-Key headers', async () => {
      const params = await route.prepare(service.events, freshId());

      const response = await post(route, params)
        .set({ 'Idempotency-Key': ['a', 'b'] } as unknown as Record<string, string>)
        .expect(400);

      expect(response.body.message).toBe('Send one Idempotency-Key header, not 2');
    });

    it('accepts a key of 255 characters', async () => {
      const params = await route.prepare(service.events, freshId());
      const key = `${freshKey()}-`.padEnd(255, 'x');

      const first = await post(route, params, key).expect(202);
      const again = await post(route, params, key).expect(202);

      expect(again.text).toBe(first.text);
    });

    it('after a crash between the work and storing its answer, a retry does not do the work again and answers as the first would have', async () => {
      const params = await route.prepare(service.events, freshId());
      const key = freshKey();
      const before = (await workOf(route, params)).length;
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
        await post(route, params, key).expect(500);
        await post(route, params, key).expect(409);
        service.clock.advance(IDEMPOTENCY_LEASE_MS + 1);
        const retried = await post(route, params, key);
        const replayed = await post(route, params, key);

        expect(lost).toBeDefined();
        expect({ status: retried.status, body: retried.text }).toEqual(lost);
        expect(replayed.text).toBe(retried.text);
        expect(replayed.headers['idempotent-replayed']).toBe('true');
        expect((await workOf(route, params)).length).toBe(before + 1);
      } finally {
        complete.mockRestore();
        release.mockRestore();
      }
    });
  });

  it('stores a domain refusal and replays it: 409 NOT_FAILED twice', async () => {
    const [requeue] = ROUTES;
    const params = await requeue.prepare(service.events, freshId());
    await post(requeue, params).expect(202);
    const key = freshKey();

    const refused = await post(requeue, params, key).expect(409);
    const replayed = await post(requeue, params, key).expect(409);

    expect(refused.body.code).toBe('NOT_FAILED');
    expect(replayed.text).toBe(refused.text);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
  });

  it('keeps nothing for a request its validation refused: the key is free for a valid one', async () => {
    const resolve = ROUTES[1];
    const params = await resolve.prepare(service.events, freshId());
    const key = freshKey();

    await post(resolve, params, key, { outcome: 'MAYBE', note: 'x' }).expect(400);
    const accepted = await post(resolve, params, key).expect(202);

    expect(accepted.body).toMatchObject({ status: 'PAID' });
  });

  it('names the request in the events it wrote, and the run it started', async () => {
    const billingRuns = ROUTES[2];
    const key = freshKey();

    const started = await post(billingRuns, {}, key).expect(202);
    const stream = await service.events.readStream(billingRunStream(started.body.runId));

    expect(requestIdOf(stream[0].metadata)).toEqual(expect.any(String));
  });
});
