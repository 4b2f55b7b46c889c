/**
 * The simulated provider's failure outcomes, each with a rate setting
 * (SIMULATED_<OUTCOME>_RATE); `paid` takes what is left. The simulator's outcomes are
 * `paid` and these (payments/simulated/simulated-outcome.ts).
 */
export const FAILURE_OUTCOMES = [
  'declined',
  'customer_not_found',
  'currency_mismatch',
  'network_error',
  'ambiguous_charged',
  'ambiguous_not_charged',
] as const;

export type FailureOutcome = (typeof FAILURE_OUTCOMES)[number];
export type OutcomeRates = Readonly<Record<FailureOutcome, number>>;

export interface SimulatedProviderConfig {
  /** Unsigned 32-bit seed: with the idempotency key it decides every outcome. */
  readonly seed: number;
  /** Round-trip latency of each call, in ms; 0 adds no timer at all. */
  readonly latencyMs: number;
  /** Extra latency drawn uniformly from [0, jitter] ms per key. */
  readonly latencyJitterMs: number;
  /** Deduplicate by idempotency key (see PaymentProvider.idempotent). */
  readonly idempotent: boolean;
  /** Offer PaymentProvider.lookup; off lets tests exercise a provider without it. */
  readonly lookup: boolean;
  /** Probability of each failure per delivered request; `paid` is the remainder. */
  readonly rates: OutcomeRates;
  /**
   * Also append every ledger entry to this file (JSON lines), which outlives the process
   * and can be shared by several; null keeps the ledger in memory only.
   */
  readonly ledgerFile: string | null;
  /**
   * Customers whose money arrives later (SIMULATED_LATE_PAYERS=acme:8,globex:20): each
   * charge of such a customer is declined (INSUFFICIENT_FUNDS) until the simulator's clock
   * (the test clock, with ANTAEUS_TEST_CLOCK=true) reaches that many days after the
   * simulator started; scripts win over it, the rates decide after it.
   */
  readonly latePayers: Readonly<Record<string, number>>;
}

export const MAX_SEED = 0xffffffff;
export const MAX_LATENCY_MS = 600_000;

/** About 90% paid and every failure path a few times per thousand charges, for demos. */
export const DEFAULT_OUTCOME_RATES: OutcomeRates = {
  declined: 0.04,
  customer_not_found: 0.01,
  currency_mismatch: 0.01,
  network_error: 0.02,
  ambiguous_charged: 0.01,
  ambiguous_not_charged: 0.01,
};

export const DEFAULT_SIMULATED_PROVIDER_CONFIG: SimulatedProviderConfig = {
  // Fixed, so a restarted process makes the same decisions for the same keys.
  seed: 1,
  latencyMs: 0,
  latencyJitterMs: 0,
  idempotent: true,
  lookup: true,
  rates: DEFAULT_OUTCOME_RATES,
  ledgerFile: null,
  latePayers: {},
};

/** The most days a late payer can wait (a year and a day, like a retry delay). */
export const MAX_LATE_PAYER_DAYS = 366;

/** Problems with a config, each naming the field; empty when it is usable. */
export function validateSimulatedProviderConfig(config: SimulatedProviderConfig): string[] {
  const errors: string[] = [];
  if (!isIntegerIn(config.seed, 0, MAX_SEED)) {
    errors.push(`seed must be an integer from 0 to ${MAX_SEED}, got ${config.seed}`);
  }
  for (const field of ['latencyMs', 'latencyJitterMs'] as const) {
    if (!isIntegerIn(config[field], 0, MAX_LATENCY_MS)) {
      errors.push(`${field} must be an integer from 0 to ${MAX_LATENCY_MS}, got ${config[field]}`);
    }
  }
  for (const outcome of FAILURE_OUTCOMES) {
    const rate = config.rates[outcome];
    if (!(rate >= 0 && rate <= 1)) errors.push(`rates.${outcome} must be in [0, 1], got ${rate}`);
  }
  const total = sumOfRates(config.rates);
  if (total > 1 + RATE_SUM_TOLERANCE) {
    errors.push(`the failure rates add up to ${Number(total.toFixed(6))}, more than 1`);
  }
  const fileProblem = config.ledgerFile === null ? null : ledgerFileProblem(config.ledgerFile);
  if (fileProblem !== null) errors.push(`ledgerFile ${fileProblem}`);
  for (const [customerId, days] of Object.entries(config.latePayers)) {
    if (!isIntegerIn(days, 1, MAX_LATE_PAYER_DAYS)) {
      errors.push(
        `latePayers.${customerId} must be a whole number of days from 1 to ${MAX_LATE_PAYER_DAYS}, got ${days}`,
      );
    }
  }
  return errors;
}

// Decimal rates such as 0.1 + 0.2 + 0.7 sum to slightly more than 1 in floating point.
export const RATE_SUM_TOLERANCE = 1e-9;

export function sumOfRates(rates: OutcomeRates): number {
  return FAILURE_OUTCOMES.reduce((sum, outcome) => sum + rates[outcome], 0);
}

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Why `path` cannot name the ledger file, or null: it must name a file, not a directory. */
export function ledgerFileProblem(path: string): string | null {
  if (path.trim() === '' || path.includes('\0')) {
    return `must be a file path, got ${JSON.stringify(path)}`;
  }
  if (/[/\\]$/.test(path)) return `must name a file, not a directory, got ${JSON.stringify(path)}`;
  return null;
}
