import type { ChargeLookupResult } from '../payment-provider.port';

/**
 * Everything the simulated provider can do with one delivered charge request:
 * - `paid`: charged, the caller sees `true`;
 * - `declined`: balance too low, not charged, the caller sees `false`;
 * - `customer_not_found`, `currency_mismatch`: rejected, not charged, thrown;
 * - `network_error`: the request never left the caller, not charged;
 * - `ambiguous_charged`: charged, then the answer was lost (a NetworkError that may
 *   have reached the provider): the path that makes double charges possible;
 * - `ambiguous_not_charged`: a timeout after sending, but nothing was charged.
 */
export const SIMULATED_OUTCOMES = [
  'paid',
  'declined',
  'customer_not_found',
  'currency_mismatch',
  'network_error',
  'ambiguous_charged',
  'ambiguous_not_charged',
] as const;

export type SimulatedOutcome = (typeof SIMULATED_OUTCOMES)[number];

/** The outcomes other than `paid`, each with a rate; `paid` takes what is left. */
export type FailureOutcome = Exclude<SimulatedOutcome, 'paid'>;
export type OutcomeRates = Readonly<Record<FailureOutcome, number>>;

export const FAILURE_OUTCOMES = SIMULATED_OUTCOMES.filter(
  (outcome): outcome is FailureOutcome => outcome !== 'paid',
);

/** Money left the customer's account. */
export function isCharged(outcome: SimulatedOutcome): boolean {
  return outcome === 'paid' || outcome === 'ambiguous_charged';
}

/**
 * The provider processed the request and remembers its key. The two transport failures
 * are not remembered, so a retry with the same key is processed afresh.
 */
export function isProcessed(outcome: SimulatedOutcome): boolean {
  return outcome !== 'network_error' && outcome !== 'ambiguous_not_charged';
}

/** What a lookup of the key reports after this outcome. */
export function lookupResultOf(outcome: SimulatedOutcome): ChargeLookupResult {
  switch (outcome) {
    case 'paid':
    case 'ambiguous_charged':
      return 'paid';
    case 'network_error':
    case 'ambiguous_not_charged':
      return 'not_found';
    default:
      return outcome;
  }
}
