import type { Money } from '../../src/shared/money';
import { ChargeLedger } from '../../src/payments/simulated/charge-ledger';
import type { SimulatedOutcome } from '../../src/payments/simulated/simulated-outcome';
import { chargeRequest } from './support/charge-requests';

function record(ledger: ChargeLedger, invoice: number, outcome: SimulatedOutcome, amount?: Money) {
  const request = chargeRequest(invoice);
  ledger.record(amount ? { ...request, amount } : request, outcome, 1_700_000_000_000 + invoice);
}

describe('ChargeLedger', () => {
  it('gives back each entry exactly as recorded', () => {
    const ledger = new ChargeLedger();
    record(ledger, 1, 'paid', { value: '999999999999999.99', currency: 'DKK' });
    record(ledger, 2, 'declined', { value: '0.10', currency: 'GBP' });
    expect(ledger.entries()).toEqual([
      {
        idempotencyKey: 'invoice-1-attempt-1',
        invoiceId: '1',
        customerId: 'customer-1',
        amount: { value: '999999999999999.99', currency: 'DKK' },
        outcome: 'paid',
        at: new Date(1_700_000_000_001),
      },
      {
        idempotencyKey: 'invoice-2-attempt-1',
        invoiceId: '2',
        customerId: 'customer-2',
        amount: { value: '0.10', currency: 'GBP' },
        outcome: 'declined',
        at: new Date(1_700_000_000_002),
      },
    ]);
  });

  it('keeps every entry past its initial capacity', () => {
    const ledger = new ChargeLedger();
    for (let i = 0; i < 5_000; i++) record(ledger, i, i % 2 === 0 ? 'paid' : 'network_error');
    const entries = ledger.entries();
    expect(ledger.size).toBe(5_000);
    expect(entries[4_999]).toMatchObject({ invoiceId: '4999', outcome: 'network_error' });
    expect(entries[4_998].at).toEqual(new Date(1_700_000_004_998));
    expect(ledger.countsByOutcome()).toMatchObject({ paid: 2_500, network_error: 2_500 });
  });

  it('counts money taken (paid and ambiguous_charged) per invoice and finds double charges', () => {
    const ledger = new ChargeLedger();
    record(ledger, 1, 'ambiguous_charged');
    record(ledger, 1, 'paid');
    record(ledger, 2, 'ambiguous_not_charged');
    record(ledger, 2, 'paid');
    record(ledger, 3, 'declined');
    record(ledger, 4, 'paid');
    record(ledger, 4, 'paid');
    record(ledger, 4, 'paid');

    expect(ledger.successfulCharges().map((e) => e.invoiceId)).toEqual([
      '1',
      '1',
      '2',
      '4',
      '4',
      '4',
    ]);
    expect(ledger.successfulChargesByInvoice()).toEqual(
      new Map([
        ['1', 2],
        ['2', 1],
        ['4', 3],
      ]),
    );
    expect(ledger.doubleCharges()).toEqual(['1', '4']);
    expect(ledger.countsByOutcome()).toEqual({
      paid: 5,
      declined: 1,
      customer_not_found: 0,
      currency_mismatch: 0,
      network_error: 0,
      ambiguous_charged: 1,
      ambiguous_not_charged: 1,
    });
  });

  it('starts over on reset', () => {
    const ledger = new ChargeLedger();
    record(ledger, 1, 'paid');
    expect(ledger.lookup('invoice-1-attempt-1')).toBe('paid');
    ledger.reset();
    expect(ledger.size).toBe(0);
    expect(ledger.entries()).toEqual([]);
    expect(ledger.countsByOutcome().paid).toBe(0);
    expect(ledger.lookup('invoice-1-attempt-1')).toBe('not_found');
    record(ledger, 2, 'declined');
    expect(ledger.lookup('invoice-2-attempt-1')).toBe('declined');
  });
});
