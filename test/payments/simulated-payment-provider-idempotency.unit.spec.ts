import { NetworkError } from '../../src/payment-provider/errors/network.error';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { answerOf, chargeRequest, chargeRequests } from './support/charge-requests';
import { ManualClock } from './support/manual-clock';

/** Charges every invoice, retrying each ambiguous attempt once with the same key. */
async function chargeRetryingAmbiguous(provider: SimulatedPaymentProvider, count: number) {
  for (const request of chargeRequests(count)) {
    const error = await provider.charge(request).catch((e: unknown) => e);
    if (error instanceof NetworkError && error.mayHaveReachedProvider) {
      await answerOf(provider, request);
    }
  }
}

describe('SimulatedPaymentProvider idempotency', () => {
  it('declares its mode', () => {
    expect(new SimulatedPaymentProvider().idempotent).toBe(true);
    expect(new SimulatedPaymentProvider({ idempotent: false }).idempotent).toBe(false);
  });

  it('idempotent: retrying an ambiguous charge with its key answers paid without charging again', async () => {
    const provider = new SimulatedPaymentProvider({ idempotent: true });
    provider.script('1', 'ambiguous_charged', 'paid');
    const request = chargeRequest(1);

    await expect(provider.charge(request)).rejects.toMatchObject({ mayHaveReachedProvider: true });
    await expect(provider.charge(request)).resolves.toBe(true);

    expect(provider.ledger.successfulChargesByInvoice().get('1')).toBe(1);
    expect(provider.ledger.doubleCharges()).toEqual([]);
    expect(provider.ledger.size).toBe(1);
    expect(provider.replays).toBe(1);
  });

  it('non-idempotent: the same retry charges again, and the ledger shows the double charge', async () => {
    const provider = new SimulatedPaymentProvider({ idempotent: false });
    provider.script('1', 'ambiguous_charged', 'paid');
    const request = chargeRequest(1);

    await expect(provider.charge(request)).rejects.toBeInstanceOf(NetworkError);
    await expect(provider.charge(request)).resolves.toBe(true);

    expect(provider.ledger.successfulChargesByInvoice().get('1')).toBe(2);
    expect(provider.ledger.doubleCharges()).toEqual(['1']);
    expect(provider.replays).toBe(0);
  });

  it('counts double charges from random ambiguous outcomes only without idempotency', async () => {
    const rates = { ambiguous_charged: 0.1 };
    const unsafe = new SimulatedPaymentProvider({ idempotent: false, rates });
    const safe = new SimulatedPaymentProvider({ idempotent: true, rates });
    await chargeRetryingAmbiguous(unsafe, 2_000);
    await chargeRetryingAmbiguous(safe, 2_000);

    const doubles = unsafe.ledger.doubleCharges();
    expect(doubles.length).toBeGreaterThan(100);
    const firstOutcome = new Map<string, string>();
    for (const entry of unsafe.ledger.entries()) {
      if (!firstOutcome.has(entry.invoiceId)) firstOutcome.set(entry.invoiceId, entry.outcome);
    }
    expect(doubles.every((invoiceId) => firstOutcome.get(invoiceId) === 'ambiguous_charged')).toBe(
      true,
    );
    expect(safe.ledger.doubleCharges()).toEqual([]);
    expect(safe.replays).toBeGreaterThan(100);
  });

  it('replays a permanent rejection with the same error', async () => {
    const provider = new SimulatedPaymentProvider();
    provider.script('1', 'customer_not_found', 'paid');
    expect(await answerOf(provider, chargeRequest(1))).toBe('CUSTOMER_NOT_FOUND');
    expect(await answerOf(provider, chargeRequest(1))).toBe('CUSTOMER_NOT_FOUND');
    expect(provider.replays).toBe(1);
  });

  it('does not remember a transport failure: a retry with the same key is processed afresh', async () => {
    const provider = new SimulatedPaymentProvider({
      rates: { network_error: 0.5, ambiguous_charged: 0, ambiguous_not_charged: 0 },
    });
    const requests = chargeRequests(100);
    const first = await Promise.all(requests.map((r) => answerOf(provider, r)));
    const failed = requests.filter((_, i) => first[i] === 'NETWORK_ERROR');
    expect(failed.length).toBeGreaterThan(20);

    // Without fresh draws per redelivery these keys would fail the same way forever.
    const retried = await Promise.all(failed.map((r) => answerOf(provider, r)));
    expect(retried.filter((answer) => answer !== 'NETWORK_ERROR').length).toBeGreaterThan(5);
    expect(provider.replays).toBe(0);
  });

  it('charges once when the same key arrives twice concurrently', async () => {
    const clock = new ManualClock();
    const provider = new SimulatedPaymentProvider({ latencyMs: 50 }, clock);
    provider.script('1', 'paid');
    const both = Promise.all([
      provider.charge(chargeRequest(1)),
      provider.charge(chargeRequest(1)),
    ]);
    clock.wakeAll();
    expect(await both).toEqual([true, true]);
    expect(provider.ledger.successfulCharges()).toHaveLength(1);
    expect(provider.replays).toBe(1);
  });
});

describe('SimulatedPaymentProvider lookup', () => {
  it('idempotent: answers what happened to each key', async () => {
    const provider = new SimulatedPaymentProvider();
    const script = [
      'paid',
      'declined',
      'currency_mismatch',
      'ambiguous_charged',
      'network_error',
    ] as const;
    script.forEach((outcome, i) => provider.script(String(i), outcome));
    for (let i = 0; i < script.length; i++) await answerOf(provider, chargeRequest(i));

    const lookups = await Promise.all(
      [0, 1, 2, 3, 4, 99].map((i) => provider.lookup!(chargeRequest(i).idempotencyKey)),
    );
    expect(lookups).toEqual([
      'paid',
      'declined',
      'currency_mismatch',
      'paid',
      'not_found',
      'not_found',
    ]);
  });

  it('non-idempotent: a key charged once reads as paid even after a later decline', async () => {
    const provider = new SimulatedPaymentProvider({ idempotent: false });
    provider.script('1', 'ambiguous_charged', 'declined');
    provider.script('2', 'ambiguous_not_charged', 'declined');
    for (const invoice of [1, 1, 2]) await answerOf(provider, chargeRequest(invoice));
    expect(await provider.lookup!(chargeRequest(1).idempotencyKey)).toBe('paid');
    expect(await provider.lookup!(chargeRequest(2).idempotencyKey)).toBe('not_found');
    // The index catches up with entries recorded after the first lookup.
    await answerOf(provider, chargeRequest(2));
    expect(await provider.lookup!(chargeRequest(2).idempotencyKey)).toBe('declined');
  });

  it('is absent when configured off', () => {
    expect(new SimulatedPaymentProvider({ lookup: false }).lookup).toBeUndefined();
    expect(new SimulatedPaymentProvider().lookup).toBeInstanceOf(Function);
  });
});
