import { CURRENCIES, toMinorUnits } from '../../src/billing/domain';
import { DEMO_DATA_SET, demoInvoices } from '../../src/seed/demo-data-set';

describe('the demo data set', () => {
  const invoices = [...demoInvoices(DEMO_DATA_SET)];

  it('is the original Antaeus set: 100 customers with 10 invoices each, the first pending', () => {
    expect(invoices).toHaveLength(1_000);
    expect(new Set(invoices.map((invoice) => invoice.customerId)).size).toBe(100);
    expect(new Set(invoices.map((invoice) => invoice.invoiceId)).size).toBe(1_000);
    expect(invoices.filter((invoice) => !invoice.paid)).toHaveLength(100);
    const byCustomer = new Map<string, typeof invoices>();
    for (const invoice of invoices) {
      byCustomer.set(invoice.customerId, [...(byCustomer.get(invoice.customerId) ?? []), invoice]);
    }
    for (const own of byCustomer.values()) {
      expect(own.map((invoice) => invoice.paid)).toEqual([false, ...Array<boolean>(9).fill(true)]);
      expect(new Set(own.map((invoice) => invoice.amount.currency)).size).toBe(1);
    }
  });

  it('bills 10.00 to 500.00 in the five currencies', () => {
    for (const { amount } of invoices) {
      expect(toMinorUnits(amount)).toBeGreaterThanOrEqual(1_000n);
      expect(toMinorUnits(amount)).toBeLessThanOrEqual(50_000n);
      expect(amount.value).toMatch(/^\d+\.\d{2}$/);
    }
    expect(new Set(invoices.map((invoice) => invoice.amount.currency))).toEqual(
      new Set(CURRENCIES),
    );
  });

  it('gives the same data for the same seed, other data for another', () => {
    expect([...demoInvoices(DEMO_DATA_SET)]).toEqual(invoices);
    const other = [...demoInvoices({ ...DEMO_DATA_SET, seed: 2 })];
    expect(other.map((invoice) => invoice.amount)).not.toEqual(
      invoices.map((invoice) => invoice.amount),
    );
  });

  it('continues ids after the first ones given', () => {
    const [first] = demoInvoices({ ...DEMO_DATA_SET, firstCustomerId: 101, firstInvoiceId: 1001 });
    expect(first).toMatchObject({ customerId: '101', invoiceId: '1001' });
  });
});
