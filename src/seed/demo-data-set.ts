import { CURRENCIES, fromMinorUnits, type Currency, type Money } from '../billing/domain';
import { keyedUniform } from '../shared/keyed-random';

export interface SeedOptions {
  readonly customers: number;
  readonly invoicesPerCustomer: number;
  /** How many of each customer's invoices are already paid (the original data set: all but the first). */
  readonly paidPerCustomer: number;
  /** Ids start after these, so seeding twice adds new customers and invoices. */
  readonly firstCustomerId: number;
  readonly firstInvoiceId: number;
  readonly seed: number;
}

export interface SeededInvoice {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly paid: boolean;
}

/** The original Antaeus data set: 100 customers, 10 invoices each, the first one pending. */
export const DEMO_DATA_SET: SeedOptions = {
  customers: 100,
  invoicesPerCustomer: 10,
  paidPerCustomer: 9,
  firstCustomerId: 1,
  firstInvoiceId: 1,
  seed: 1,
};

const MIN_AMOUNT_MINOR = 10_00n;
const MAX_AMOUNT_MINOR = 500_00n;

/**
 * Generates invoices one at a time (memory stays flat for millions): each customer has a
 * currency and invoices of 10.00–500.00 in it. Values are drawn from (seed, id), so the
 * same options always give the same data.
 */
export function* demoInvoices(options: SeedOptions): Generator<SeededInvoice> {
  let invoiceId = options.firstInvoiceId;
  for (let c = 0; c < options.customers; c += 1) {
    const customerId = String(options.firstCustomerId + c);
    const currency = pickCurrency(options.seed, customerId);
    for (let i = 0; i < options.invoicesPerCustomer; i += 1) {
      const id = String(invoiceId);
      invoiceId += 1;
      yield {
        invoiceId: id,
        customerId,
        amount: amountFor(options.seed, id, currency),
        // The first invoice of each customer is the pending one, as in the original.
        paid: i >= options.invoicesPerCustomer - options.paidPerCustomer,
      };
    }
  }
}

function pickCurrency(seed: number, customerId: string): Currency {
  return CURRENCIES[
    Math.floor(keyedUniform(seed, `customer-${customerId}`, 0) * CURRENCIES.length)
  ];
}

function amountFor(seed: number, invoiceId: string, currency: Currency): Money {
  const span = Number(MAX_AMOUNT_MINOR - MIN_AMOUNT_MINOR + 1n);
  const minor =
    MIN_AMOUNT_MINOR + BigInt(Math.floor(keyedUniform(seed, `invoice-${invoiceId}`, 1) * span));
  return fromMinorUnits(minor, currency);
}
