import type { OutcomeRates } from '../../../src/config/simulated-provider-config';

/** Every charge pays unless a test scripts otherwise (or sets a rate). */
export const ZERO_RATES: OutcomeRates = {
  declined: 0,
  customer_not_found: 0,
  currency_mismatch: 0,
  network_error: 0,
  ambiguous_charged: 0,
  ambiguous_not_charged: 0,
};
