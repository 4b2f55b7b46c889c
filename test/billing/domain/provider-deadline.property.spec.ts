import fc from 'fast-check';
import { decideInvoice, evolveInvoice, type InvoiceCommand } from '../../../src/billing/domain';
import { at, claim, given, invoiceOf, issue, minutesAfterT0 } from './invoice-test-kit';

/*
 * The deadline rule against a model of the provider, written out by hand: a send of the
 * attempt arrives at most `sendingWindowMs` after the claim, and the provider processes
 * an arrived request at most `afterArrivalMs` after it arrived. Whenever the sweep's
 * withdrawal is accepted, every processing the model allows happened before the lookup
 * was asked, so the lookup's `not_found` was the truth: nothing was, or will be, charged.
 */

const CLAIMED_AT = Date.parse(minutesAfterT0(1)); // given()'s second command
const processing = () => given(issue(), claim()).state;

const scenario = fc.record({
  sendingWindowMs: fc.integer({ min: 0, max: 600_000 }),
  afterArrivalMs: fc.integer({ min: 0, max: 600_000 }),
  /** When the lookup was asked, after the claim. */
  askedAfterMs: fc.integer({ min: 0, max: 1_500_000 }),
  /** Where in the window the request arrived, and how long it waited to be processed. */
  arrival: fc.double({ min: 0, max: 1, noNaN: true }),
  wait: fc.double({ min: 0, max: 1, noNaN: true }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function decide(s: Scenario) {
  const askedAt = CLAIMED_AT + s.askedAfterMs;
  const command: InvoiceCommand = {
    type: 'WithdrawPastDeadline',
    invoiceId: '42',
    attempt: 1,
    deadline: { afterArrivalMs: s.afterArrivalMs, sendingWindowMs: s.sendingWindowMs },
    notFoundAt: new Date(askedAt).toISOString(),
  };
  // Decided a little after the lookup came back.
  return decideInvoice(command, processing(), at(new Date(askedAt + 5).toISOString()));
}

describe('the provider processing deadline (property)', () => {
  it('is accepted exactly when the lookup was asked after the last moment the provider could process', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const lastProcessing = s.sendingWindowMs + s.afterArrivalMs;
        expect(decide(s).ok).toBe(s.askedAfterMs > lastProcessing);
      }),
    );
  });

  it('never closes an attempt the modelled provider could still process after the lookup', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const arrivedAfterMs = s.arrival * s.sendingWindowMs;
        const processedAfterMs = arrivedAfterMs + s.wait * s.afterArrivalMs;
        if (decide(s).ok) expect(processedAfterMs).toBeLessThan(s.askedAfterMs);
      }),
    );
  });

  it('leaves the invoice PENDING with the attempt WITHDRAWN, and nothing else changed', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const decision = decide(s);
        if (!decision.ok) return;
        const before = invoiceOf(processing());
        const after = invoiceOf(decision.events.reduce(evolveInvoice, processing()));
        expect(after.status).toBe('PENDING');
        expect(after.attempts.map((attempt) => attempt.outcome)).toEqual(['WITHDRAWN']);
        expect({ ...after.attempts[0], outcome: 'OPEN' }).toEqual(before.attempts[0]);
      }),
    );
  });
});
