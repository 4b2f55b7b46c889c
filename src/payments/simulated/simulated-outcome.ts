import { FAILURE_OUTCOMES } from '../../config/simulated-provider-config';
import type { ChargeLookupResult } from '../../payment-provider/payment-provider.port';

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
export const SIMULATED_OUTCOMES = ['paid', ...FAILURE_OUTCOMES] as const;

export type SimulatedOutcome = (typeof SIMULATED_OUTCOMES)[number];

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
