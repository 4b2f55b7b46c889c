import fc from 'fast-check';
import request from 'supertest';
import { invoiceStream } from '../../../src/billing/domain';
import { backendsWith } from '../../support/backends';
import { AUTH, startIdempotencyApp, type IdempotencyApp } from './idempotency-app';

const CUSTOMER = 'keyed-creates-customer';
/** Ids and keys are drawn from small pools so that requests collide often. */
const IDS = 3;
const KEYS = 2;

/** One create: a single invoice or a batch, with or without an Idempotency-Key. */
interface Create {
  readonly route: 'single' | 'batch';
  /** The invoice ids it names (one for a single create, in the batch's order otherwise). */
  readonly ids: readonly number[];
  readonly key: number | null;
}

interface Answer {
  readonly create: Create;
  readonly path: string;
  readonly body: string;
  readonly status: number;
  readonly text: string;
  readonly replayed: boolean;
}

const createArb: fc.Arbitrary<Create> = fc.oneof(
  fc.record({
    route: fc.constant('single' as const),
    ids: fc.tuple(fc.nat(IDS - 1)),
    key: fc.option(fc.nat(KEYS - 1)),
  }),
  fc.record({
    route: fc.constant('batch' as const),
    ids: fc.uniqueArray(fc.nat(IDS - 1), { minLength: 1, maxLength: IDS }),
    key: fc.option(fc.nat(KEYS - 1)),
  }),
);

/** Steps run one after another; the creates of a step are sent at once. */
const stepsArb = fc.array(fc.array(createArb, { minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 4,
});

/**
 * Clients retry creates, with and without Idempotency-Key, one at a time and at once,
 * alone and in batches. Over the real service (HTTP, the key store, the command
 * handlers, the event store), whatever the interleaving: each id holds one invoice,
 * issued by exactly one request; every answer shows the same invoice for an id; a key
 * with the same request always gets the same answer (status and body), and with another
 * request 422 IDEMPOTENCY_KEY_REUSED (409 IDEMPOTENCY_KEY_IN_USE while the first runs).
 * The command-level property without keys: test/billing/store/repeated-creates.property.spec.ts.
 */
describe.each(backendsWith('openDatabase'))('keyed and unkeyed creates on $name', (backend) => {
  let service: IdempotencyApp;
  let drop: () => Promise<void>;
  let round = 0;

  beforeAll(async () => {
    const created = await backend.startService('keyed_creates');
    drop = created.stop;
    service = await startIdempotencyApp({ ...created.env, DATABASE_POOL_SIZE: '8' });
    await request(service.app.getHttpServer())
      .post('/rest/v1/customers')
      .set(AUTH)
      .send({ id: CUSTOMER, currency: 'EUR' })
      .expect(201);
  });

  afterAll(async () => {
    await service?.close();
    await drop?.();
  });

  /** Sends `create` of round `r`: ids and keys are the round's own. */
  async function send(r: number, create: Create): Promise<Answer> {
    const invoice = (id: number) => ({
      id: `kc${r}-${id}`,
      customerId: CUSTOMER,
      amount: { value: `${id + 1}.25`, currency: 'EUR' },
    });
    const path = create.route === 'single' ? '/rest/v1/invoices' : '/rest/v1/invoices/batch';
    const payload =
      create.route === 'single' ? invoice(create.ids[0]) : { invoices: create.ids.map(invoice) };
    const req = request(service.app.getHttpServer()).post(path).set(AUTH);
    if (create.key !== null) req.set('Idempotency-Key', `kc${r}-key-${create.key}`);
    const response = await req.send(payload);
    return {
      create,
      path,
      body: JSON.stringify(payload),
      status: response.status,
      text: response.text,
      replayed: response.headers['idempotent-replayed'] === 'true',
    };
  }

  function codeOf(answer: Answer): string | undefined {
    return (JSON.parse(answer.text) as { code?: string }).code;
  }

  /** The invoices an answer shows, by id. */
  function invoicesIn(answer: Answer): { id: string }[] {
    const body = JSON.parse(answer.text) as { id: string } | { invoices: { id: string }[] };
    return 'invoices' in body ? body.invoices : [body];
  }

  function checkKeys(answers: readonly Answer[]): void {
    const byKey = new Map<string, Answer[]>();
    for (const answer of answers) {
      if (answer.create.key === null) continue;
      const scope = `${answer.path} ${answer.create.key}`;
      byKey.set(scope, [...(byKey.get(scope) ?? []), answer]);
    }
    for (const keyed of byKey.values()) {
      const ran = keyed.filter((answer) => ![409, 422].includes(answer.status));
      // The request that took the key first: every other one that ran or replayed is it.
      expect(ran.length).toBeGreaterThan(0);
      const first = ran[0];
      for (const answer of keyed) {
        if (answer.body === first.body) {
          // The same request: the first answer, or "in use" while the first still runs.
          if (answer.status === 409) expect(codeOf(answer)).toBe('IDEMPOTENCY_KEY_IN_USE');
          else {
            expect({ status: answer.status, text: answer.text }).toEqual({
              status: first.status,
              text: first.text,
            });
          }
        } else {
          // Another request under a used key: refused, or "in use" while the first runs.
          expect([409, 422]).toContain(answer.status);
          expect(codeOf(answer)).toBe(
            answer.status === 409 ? 'IDEMPOTENCY_KEY_IN_USE' : 'IDEMPOTENCY_KEY_REUSED',
          );
        }
      }
      expect(keyed.filter((answer) => !answer.replayed && ran.includes(answer))).toHaveLength(1);
    }
  }

  it('never yield a second invoice, and a key always gets its first answer', async () => {
    await fc.assert(
      fc.asyncProperty(stepsArb, async (steps) => {
        const r = ++round;
        const answers: Answer[] = [];
        for (const step of steps) {
          answers.push(...(await Promise.all(step.map((create) => send(r, create)))));
        }

        for (const answer of answers) {
          expect([200, 201, 409, 422]).toContain(answer.status);
          if (answer.create.key === null) expect([200, 201]).toContain(answer.status);
        }
        checkKeys(answers);

        // Each id a request wrote or found: one stored invoice, issued by exactly one
        // request that ran (a replay repeats its answer), and every answer shows it.
        const done = answers.filter((answer) => [200, 201].includes(answer.status));
        const named = new Set(done.flatMap((answer) => answer.create.ids));
        const fresh = done.filter((answer) => !answer.replayed);
        const issued = fresh.reduce(
          (sum, answer) =>
            sum +
            (answer.create.route === 'single'
              ? answer.status === 201
                ? 1
                : 0
              : (JSON.parse(answer.text) as { created: number }).created),
          0,
        );
        expect(issued).toBe(named.size);
        const shown = new Map<string, string>();
        for (const answer of done) {
          for (const invoice of invoicesIn(answer)) {
            const text = JSON.stringify(invoice);
            expect(shown.get(invoice.id) ?? text).toBe(text);
            shown.set(invoice.id, text);
          }
        }
        // An id only refused requests named was never written.
        for (let id = 0; id < IDS; id++) {
          const stored = await service.events.readStream(invoiceStream(`kc${r}-${id}`));
          expect(stored.map((event) => event.type)).toEqual(named.has(id) ? ['InvoiceIssued'] : []);
        }
      }),
      { numRuns: 20 },
    );
  }, 180_000);
});
