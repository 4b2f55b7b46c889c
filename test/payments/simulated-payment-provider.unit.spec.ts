import { CurrencyMismatchError } from '../../src/payment-provider/errors/currency-mismatch.error';
import { CustomerNotFoundError } from '../../src/payment-provider/errors/customer-not-found.error';
import { NetworkError } from '../../src/payment-provider/errors/network.error';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { FAILURE_OUTCOMES, type OutcomeRates } from '../../src/config/simulated-provider-config';
import {
  SIMULATED_OUTCOMES,
  type SimulatedOutcome,
} from '../../src/payments/simulated/simulated-outcome';
import { answerOf, chargeRequest, chargeRequests } from './support/charge-requests';

const NO_FAILURES: OutcomeRates = {
  declined: 0,
  customer_not_found: 0,
  currency_mismatch: 0,
  network_error: 0,
  ambiguous_charged: 0,
  ambiguous_not_charged: 0,
};

function outcomesByKey(provider: SimulatedPaymentProvider): Map<string, SimulatedOutcome> {
  return new Map(provider.ledger.entries().map((e) => [e.idempotencyKey, e.outcome]));
}

describe('SimulatedPaymentProvider outcomes', () => {
  it('answers every outcome the way the port promises', async () => {
    const provider = new SimulatedPaymentProvider({ idempotent: false });
    const expected: Record<SimulatedOutcome, boolean | string> = {
      paid: true,
      declined: false,
      customer_not_found: 'CUSTOMER_NOT_FOUND',
      currency_mismatch: 'CURRENCY_MISMATCH',
      network_error: 'NETWORK_ERROR',
      ambiguous_charged: 'NETWORK_ERROR',
      ambiguous_not_charged: 'NETWORK_ERROR',
    };
    for (const outcome of SIMULATED_OUTCOMES) {
      provider.script(outcome, outcome);
      expect(await answerOf(provider, chargeRequest(outcome))).toBe(expected[outcome]);
    }
    expect(provider.ledger.entries().map((e) => e.outcome)).toEqual(SIMULATED_OUTCOMES);
  });

  it('throws CustomerNotFoundError naming the customer and invoice', async () => {
    const provider = new SimulatedPaymentProvider();
    provider.script('7', 'customer_not_found');
    const error = await provider.charge(chargeRequest(7)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CustomerNotFoundError);
    expect(error).toMatchObject({
      code: 'CUSTOMER_NOT_FOUND',
      customerId: 'customer-7',
      invoiceId: '7',
      name: 'CustomerNotFoundError',
    });
  });

  it('throws CurrencyMismatchError with the invoice currency', async () => {
    const provider = new SimulatedPaymentProvider();
    provider.script('8', 'currency_mismatch');
    const error = await provider.charge(chargeRequest(8)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CurrencyMismatchError);
    expect(error).toMatchObject({
      code: 'CURRENCY_MISMATCH',
      invoiceId: '8',
      customerId: 'customer-8',
      currency: 'EUR',
    });
  });

  it.each([
    ['network_error', false, 0],
    ['ambiguous_not_charged', true, 0],
    ['ambiguous_charged', true, 1],
  ] as const)(
    '%s throws NetworkError(mayHaveReachedProvider=%s) and charges %i times',
    async (outcome, mayHaveReached, charges) => {
      const provider = new SimulatedPaymentProvider();
      provider.script('9', outcome);
      const error = await provider.charge(chargeRequest(9)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({
        code: 'NETWORK_ERROR',
        mayHaveReachedProvider: mayHaveReached,
      });
      expect(provider.ledger.successfulCharges()).toHaveLength(charges);
    },
  );

  it('uses the key script over the invoice script, and repeats the last scripted outcome', async () => {
    const provider = new SimulatedPaymentProvider({ idempotent: false });
    provider.script('1', 'network_error', 'declined');
    provider.scriptKey(chargeRequest(1, 2).idempotencyKey, 'paid');
    const answers = [
      await answerOf(provider, chargeRequest(1, 1)),
      await answerOf(provider, chargeRequest(1, 1)),
      await answerOf(provider, chargeRequest(1, 1)),
      await answerOf(provider, chargeRequest(1, 2)),
    ];
    expect(answers).toEqual(['NETWORK_ERROR', false, false, true]);
  });
});

describe('SimulatedPaymentProvider determinism', () => {
  const requests = chargeRequests(2_000);

  it('gives each key the same outcome for a seed, whatever the call order or concurrency', async () => {
    const inOrder = new SimulatedPaymentProvider({ seed: 7 });
    for (const request of requests) await answerOf(inOrder, request);
    const concurrent = new SimulatedPaymentProvider({ seed: 7 });
    await Promise.all([...requests].reverse().map((request) => answerOf(concurrent, request)));

    expect(outcomesByKey(concurrent)).toEqual(outcomesByKey(inOrder));
    // Not trivially equal: the default rates produce several kinds of outcome.
    expect(new Set(outcomesByKey(inOrder).values()).size).toBeGreaterThanOrEqual(5);
  });

  it('gives another seed other outcomes', async () => {
    const one = new SimulatedPaymentProvider({ seed: 1 });
    const two = new SimulatedPaymentProvider({ seed: 2 });
    for (const request of requests) {
      await answerOf(one, request);
      await answerOf(two, request);
    }
    const a = outcomesByKey(one);
    const b = outcomesByKey(two);
    const differing = [...a.keys()].filter((key) => a.get(key) !== b.get(key));
    expect(differing.length).toBeGreaterThan(50);
  });

  it('gives the next attempt of an invoice its own draw', async () => {
    const provider = new SimulatedPaymentProvider({ rates: { declined: 0.5 } });
    const first = await Promise.all(chargeRequests(200, 1).map((r) => answerOf(provider, r)));
    const second = await Promise.all(chargeRequests(200, 2).map((r) => answerOf(provider, r)));
    expect(first).not.toEqual(second);
  });
});

describe('SimulatedPaymentProvider rates', () => {
  const CHARGES = 10_000;

  it('honours each rate over 10k charges', async () => {
    const rates: OutcomeRates = {
      declined: 0.12,
      customer_not_found: 0.02,
      currency_mismatch: 0.04,
      network_error: 0.06,
      ambiguous_charged: 0.03,
      ambiguous_not_charged: 0.05,
    };
    const provider = new SimulatedPaymentProvider({ seed: 12345, rates });
    for (const request of chargeRequests(CHARGES)) await answerOf(provider, request);

    const counts = provider.ledger.countsByOutcome();
    const expectedRates = {
      ...rates,
      paid: 1 - FAILURE_OUTCOMES.reduce((s, o) => s + rates[o], 0),
    };
    for (const outcome of SIMULATED_OUTCOMES) {
      const p = expectedRates[outcome];
      // Four standard deviations: wide enough for any seed, narrow enough to catch two
      // outcomes swapped or a rate applied to the wrong outcome.
      const tolerance = 4 * Math.sqrt(CHARGES * p * (1 - p));
      expect(Math.abs(counts[outcome] - CHARGES * p)).toBeLessThanOrEqual(tolerance);
    }
    expect(provider.ledger.size).toBe(CHARGES);
  });

  it('never produces an outcome whose rate is 0', async () => {
    const allFail = new SimulatedPaymentProvider({
      rates: { ...NO_FAILURES, declined: 0.5, network_error: 0.5 },
    });
    for (const request of chargeRequests(2_000)) await answerOf(allFail, request);
    const counts = allFail.ledger.countsByOutcome();
    expect(counts.paid + counts.customer_not_found + counts.ambiguous_charged).toBe(0);
    expect(counts.declined + counts.network_error).toBe(2_000);
  });

  it('pays everything when every failure rate is 0', async () => {
    const provider = new SimulatedPaymentProvider({ rates: NO_FAILURES });
    const answers = await Promise.all(chargeRequests(1_000).map((r) => provider.charge(r)));
    expect(answers.every((answer) => answer === true)).toBe(true);
  });

  it('refuses rates that cannot be honoured', () => {
    expect(
      () => new SimulatedPaymentProvider({ rates: { declined: 0.6, network_error: 0.6 } }),
    ).toThrow(/add up to 1.2/);
    expect(() => new SimulatedPaymentProvider({ rates: { declined: -0.1 } })).toThrow(
      /rates.declined must be in \[0, 1\]/,
    );
  });
});

describe('SimulatedPaymentProvider late payers', () => {
  const DAY_MS = 24 * 3_600_000;

  it("declines a late payer's charges until its day, then lets the rates decide", async () => {
    let now = Date.parse('2026-12-01T09:00:00Z');
    const clock = { now: () => now, sleep: async () => {} };
    const provider = new SimulatedPaymentProvider(
      { rates: NO_FAILURES, latePayers: { 'customer-late': 8 } },
      clock,
    );
    const late = (attempt: number) => ({
      ...chargeRequest('late', attempt),
      customerId: 'customer-late',
    });

    expect(await answerOf(provider, late(1))).toBe(false);
    expect(await answerOf(provider, chargeRequest('on-time'))).toBe(true);
    now += 8 * DAY_MS - 1;
    expect(await answerOf(provider, late(2))).toBe(false);
    now += 1;
    expect(await answerOf(provider, late(3))).toBe(true);
    expect(provider.ledger.entries().map((entry) => entry.outcome)).toEqual([
      'declined',
      'paid',
      'declined',
      'paid',
    ]);
  });

  it('lets a script win over the late payer, and ignores inherited names', async () => {
    const provider = new SimulatedPaymentProvider({
      rates: NO_FAILURES,
      latePayers: { 'customer-late': 8 },
    });
    provider.script('late', 'paid');
    const late = { ...chargeRequest('late'), customerId: 'customer-late' };
    expect(await answerOf(provider, late)).toBe(true);
    const inherited = { ...chargeRequest('proto'), customerId: 'constructor' };
    expect(await answerOf(provider, inherited)).toBe(true);
  });
});
