import { ChargeGate } from '../../src/payments/simulated/charge-gate';
import type { ChargeHookEvent } from '../../src/payments/simulated/charge-hook';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { answerOf, chargeRequest, chargeRequests, flushPromises } from './support/charge-requests';
import { ManualClock } from './support/manual-clock';

describe('SimulatedPaymentProvider latency', () => {
  it('sets no timer at 0 ms', async () => {
    const clock = new ManualClock();
    const provider = new SimulatedPaymentProvider({ latencyMs: 0 }, clock);
    await Promise.all(chargeRequests(100).map((r) => answerOf(provider, r)));
    expect(clock.sleeps).toEqual([]);
    expect(provider.ledger.size).toBe(100);
  });

  it('answers only after the latency has passed', async () => {
    const clock = new ManualClock();
    const provider = new SimulatedPaymentProvider({ latencyMs: 250 }, clock);
    provider.script('1', 'paid');
    let answer: boolean | undefined;
    const charge = provider.charge(chargeRequest(1)).then((a) => (answer = a));
    await flushPromises();

    expect(clock.sleeps).toEqual([250]);
    expect(answer).toBeUndefined();
    expect(provider.ledger.size).toBe(0);

    clock.wakeAll();
    await charge;
    expect(answer).toBe(true);
    expect(provider.ledger.entries()[0].at).toEqual(new Date(clock.nowMs));
  });

  it('adds jitter within [latency, latency + jitter], the same for a key every time', async () => {
    const clock = new ManualClock();
    const provider = new SimulatedPaymentProvider({ latencyMs: 100, latencyJitterMs: 50 }, clock);
    const requests = chargeRequests(200);
    const charging = Promise.all(requests.map((r) => answerOf(provider, r)));
    await flushPromises();
    const firstDelays = [...clock.sleeps];
    clock.wakeAll();
    await charging;

    expect(Math.min(...firstDelays)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...firstDelays)).toBeLessThanOrEqual(150);
    expect(new Set(firstDelays).size).toBeGreaterThan(30);

    const again = new SimulatedPaymentProvider({ latencyMs: 100, latencyJitterMs: 50 }, clock);
    clock.sleeps.length = 0;
    void Promise.all(requests.map((r) => answerOf(again, r)));
    await flushPromises();
    expect(clock.sleeps).toEqual(firstDelays);
    clock.wakeAll();
  });
});

describe('SimulatedPaymentProvider hooks', () => {
  it('reports both phases of each call, and whether it was a replay', async () => {
    const provider = new SimulatedPaymentProvider();
    provider.script('1', 'paid');
    const events: ChargeHookEvent[] = [];
    provider.onCharge((event) => void events.push(event));
    await provider.charge(chargeRequest(1));
    await provider.charge(chargeRequest(1));

    expect(
      events.map((e) => (e.phase === 'processed' ? `${e.outcome}/${e.replay}` : e.phase)),
    ).toEqual(['received', 'paid/false', 'received', 'paid/true']);
  });

  it('holds a charge after the provider charged it, until the gate opens', async () => {
    const provider = new SimulatedPaymentProvider();
    provider.script('1', 'paid');
    const gate = new ChargeGate('processed');
    provider.onCharge(gate.hook);
    let answer: boolean | undefined;
    const charge = provider.charge(chargeRequest(1)).then((a) => (answer = a));

    await gate.whenHeld(1);
    await flushPromises();
    expect(answer).toBeUndefined();
    expect(provider.ledger.successfulCharges()).toHaveLength(1);
    expect(gate.held.map((r) => r.invoiceId)).toEqual(['1']);

    gate.open();
    await charge;
    expect(answer).toBe(true);
  });

  it('holds only matching charges, before anything is charged', async () => {
    const provider = new SimulatedPaymentProvider({ rates: { declined: 0 } });
    const gate = new ChargeGate('received', (request) => request.invoiceId === '2');
    provider.onCharge(gate.hook);
    const charges = [1, 2, 3].map((i) => answerOf(provider, chargeRequest(i)));

    await gate.whenHeld(1);
    await flushPromises();
    expect(provider.ledger.entries().map((e) => e.invoiceId)).toEqual(['1', '3']);

    gate.open();
    await Promise.all(charges);
    expect(provider.ledger.entries().map((e) => e.invoiceId)).toEqual(['1', '3', '2']);
  });

  it('forgets everything on reset', async () => {
    const provider = new SimulatedPaymentProvider();
    provider.script('1', 'declined');
    const events: ChargeHookEvent[] = [];
    provider.onCharge((event) => void events.push(event));
    await provider.charge(chargeRequest(1));
    await provider.charge(chargeRequest(1));

    provider.reset();
    expect(provider.ledger.size).toBe(0);
    expect(provider.replays).toBe(0);
    expect(await provider.lookup!(chargeRequest(1).idempotencyKey)).toBe('not_found');
    provider.scriptKey(chargeRequest(1).idempotencyKey, 'paid');
    await expect(provider.charge(chargeRequest(1))).resolves.toBe(true);
    expect(events).toHaveLength(4);
  });
});
