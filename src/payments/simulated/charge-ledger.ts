import { CURRENCIES, fromMinorUnits, toMinorUnits, type Money } from '../../shared/money';
import type {
  ChargeLookupResult,
  ChargeRequest,
} from '../../payment-provider/payment-provider.port';
import {
  isCharged,
  lookupResultOf,
  SIMULATED_OUTCOMES,
  type SimulatedOutcome,
} from './simulated-outcome';

export interface LedgerEntry {
  readonly idempotencyKey: string;
  readonly invoiceId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly outcome: SimulatedOutcome;
  readonly at: Date;
}

export type OutcomeCounts = Record<SimulatedOutcome, number>;

const INITIAL_CAPACITY = 1024;

/**
 * Every request the simulated provider handled (idempotent replays excluded: they
 * charge nothing), so tests can count double charges.
 *
 * Stored column by column because a benchmark records a million charges: amounts as
 * 64-bit minor units and outcomes as bytes instead of one object per entry. Entries are
 * materialised only when asked for.
 */
export class ChargeLedger {
  private keys: string[] = [];
  private invoiceIds: string[] = [];
  private customerIds: string[] = [];
  private minorUnits = new BigInt64Array(INITIAL_CAPACITY);
  private currencies = new Uint8Array(INITIAL_CAPACITY);
  private outcomes = new Uint8Array(INITIAL_CAPACITY);
  private times = new Float64Array(INITIAL_CAPACITY);
  private counts = new Array<number>(SIMULATED_OUTCOMES.length).fill(0);
  // Built on the first lookup and extended after: costs nothing unless lookup is used.
  private keyIndex = new Map<string, ChargeLookupResult>();
  private indexed = 0;

  get size(): number {
    return this.keys.length;
  }

  record(request: ChargeRequest, outcome: SimulatedOutcome, at: number): void {
    const i = this.keys.length;
    if (i === this.outcomes.length) this.grow();
    this.keys.push(request.idempotencyKey);
    this.invoiceIds.push(request.invoiceId);
    this.customerIds.push(request.customerId);
    this.minorUnits[i] = toMinorUnits(request.amount);
    this.currencies[i] = CURRENCIES.indexOf(request.amount.currency);
    const code = SIMULATED_OUTCOMES.indexOf(outcome);
    this.outcomes[i] = code;
    this.times[i] = at;
    this.counts[code]++;
  }

  entries(): LedgerEntry[] {
    return this.keys.map((_, i) => this.entry(i));
  }

  /** Entries where money left the customer (`paid` or `ambiguous_charged`). */
  successfulCharges(): LedgerEntry[] {
    return this.chargedIndexes().map((i) => this.entry(i));
  }

  successfulChargesByInvoice(): Map<string, number> {
    const byInvoice = new Map<string, number>();
    for (const i of this.chargedIndexes()) {
      const invoiceId = this.invoiceIds[i];
      byInvoice.set(invoiceId, (byInvoice.get(invoiceId) ?? 0) + 1);
    }
    return byInvoice;
  }

  /** Invoice ids charged more than once: what invariant 1 says must stay empty. */
  doubleCharges(): string[] {
    return [...this.successfulChargesByInvoice()]
      .filter(([, charges]) => charges > 1)
      .map(([invoiceId]) => invoiceId);
  }

  countsByOutcome(): OutcomeCounts {
    return Object.fromEntries(
      SIMULATED_OUTCOMES.map((outcome, code) => [outcome, this.counts[code]]),
    ) as OutcomeCounts;
  }

  /** What the provider knows about a key; a charge wins over any other delivery. */
  lookup(idempotencyKey: string): ChargeLookupResult {
    for (; this.indexed < this.keys.length; this.indexed++) {
      const key = this.keys[this.indexed];
      if (this.keyIndex.get(key) === 'paid') continue;
      const result = lookupResultOf(SIMULATED_OUTCOMES[this.outcomes[this.indexed]]);
      if (result !== 'not_found') this.keyIndex.set(key, result);
    }
    return this.keyIndex.get(idempotencyKey) ?? 'not_found';
  }

  reset(): void {
    this.keys = [];
    this.invoiceIds = [];
    this.customerIds = [];
    this.minorUnits = new BigInt64Array(INITIAL_CAPACITY);
    this.currencies = new Uint8Array(INITIAL_CAPACITY);
    this.outcomes = new Uint8Array(INITIAL_CAPACITY);
    this.times = new Float64Array(INITIAL_CAPACITY);
    this.counts.fill(0);
    this.keyIndex = new Map();
    this.indexed = 0;
  }

  private chargedIndexes(): number[] {
    const indexes: number[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      if (isCharged(SIMULATED_OUTCOMES[this.outcomes[i]])) indexes.push(i);
    }
    return indexes;
  }

  private entry(i: number): LedgerEntry {
    return {
      idempotencyKey: this.keys[i],
      invoiceId: this.invoiceIds[i],
      customerId: this.customerIds[i],
      amount: fromMinorUnits(this.minorUnits[i], CURRENCIES[this.currencies[i]]),
      outcome: SIMULATED_OUTCOMES[this.outcomes[i]],
      at: new Date(this.times[i]),
    };
  }

  private grow(): void {
    const capacity = this.outcomes.length * 2;
    const minorUnits = new BigInt64Array(capacity);
    const currencies = new Uint8Array(capacity);
    const outcomes = new Uint8Array(capacity);
    const times = new Float64Array(capacity);
    minorUnits.set(this.minorUnits);
    currencies.set(this.currencies);
    outcomes.set(this.outcomes);
    times.set(this.times);
    this.minorUnits = minorUnits;
    this.currencies = currencies;
    this.outcomes = outcomes;
    this.times = times;
  }
}
