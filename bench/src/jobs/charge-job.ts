import { SimulatedPaymentProvider } from '../../../src/payments/simulated/simulated-payment-provider';
import { SIMULATOR_SEED } from '../settings';

/** A job's payload: the invoice to charge, numbered like the invoices Antaeus seeds. */
export interface ChargeJob {
  readonly invoiceId: string;
  readonly customerId: string;
}

export function chargeJobs(count: number): ChargeJob[] {
  return Array.from({ length: count }, (_, i) => ({
    invoiceId: String(i + 1),
    customerId: String(i + 1),
  }));
}

export function simulatedProvider(latencyMs: number): SimulatedPaymentProvider {
  return new SimulatedPaymentProvider({ latencyMs, seed: SIMULATOR_SEED });
}

/**
 * One charge, the way a job handler would: `false` (declined) or a thrown error is a
 * failed job. The key is Antaeus's first-attempt key, so the simulator draws the same
 * outcome for an invoice here as in the Antaeus run.
 */
export async function charge(provider: SimulatedPaymentProvider, job: ChargeJob): Promise<void> {
  const paid = await provider.charge({
    invoiceId: job.invoiceId,
    customerId: job.customerId,
    amount: { value: '10.00', currency: 'EUR' },
    idempotencyKey: `invoice-${job.invoiceId}-attempt-1`,
  });
  if (!paid) throw new Error(`invoice ${job.invoiceId} declined`);
}

export interface LedgerCheck {
  readonly charges: number;
  readonly invoicesCharged: number;
  readonly chargedTwice: number;
}

/** What the simulator saw: exactly one delivery per invoice, or the run is void. */
export function checkLedger(provider: SimulatedPaymentProvider, expected: number): LedgerCheck {
  const perInvoice = new Map<string, number>();
  for (const entry of provider.ledger.entries()) {
    perInvoice.set(entry.invoiceId, (perInvoice.get(entry.invoiceId) ?? 0) + 1);
  }
  const check = {
    charges: provider.ledger.size,
    invoicesCharged: perInvoice.size,
    chargedTwice: [...perInvoice.values()].filter((n) => n > 1).length,
  };
  if (check.charges !== expected || check.invoicesCharged !== expected || check.chargedTwice > 0) {
    throw new Error(
      `expected each of ${expected} invoices charged exactly once, the simulator's ledger has ${JSON.stringify(check)}`,
    );
  }
  return check;
}

/** Resolves when `count` handlers have finished. */
export class Countdown {
  private remaining: number;
  private resolve!: () => void;
  readonly done = new Promise<void>((resolve) => (this.resolve = resolve));

  constructor(count: number) {
    this.remaining = count;
    if (count === 0) this.resolve();
  }

  tick(): void {
    this.remaining -= 1;
    if (this.remaining === 0) this.resolve();
  }
}

/** Polls until `remaining()` reports 0: the queue has recorded every outcome. */
export async function settled(remaining: () => Promise<number>, everyMs = 5): Promise<void> {
  while ((await remaining()) > 0) await new Promise((resolve) => setTimeout(resolve, everyMs));
}
