import type { ChargeAttemptRecord, InvoiceEvent } from '../../src/billing/domain';

/** How an attempt stands now, as a billing run counts it. */
export type AttemptStanding = 'processing' | 'paid' | 'failed' | 'unknown';

/** A withdrawn attempt is not counted: nothing was sent, and the invoice is claimed again. */
export type AttemptPlace = AttemptStanding | 'withdrawn';

export const ATTEMPT_STANDINGS: readonly AttemptStanding[] = [
  'processing',
  'paid',
  'failed',
  'unknown',
];

/** The facts of one attempt that its standing depends on: a slice of the domain's record. */
export type AttemptFacts = Pick<ChargeAttemptRecord, 'outcome' | 'providerSaid' | 'resolvedAs'>;

/**
 * An attempt as deriveInvoiceStatus reads one: open is processing; money taken (the
 * provider said PAID, or a person resolved PAID) is paid; another definite answer is
 * failed; none is unknown. So a late truth or a resolution moves an unknown attempt.
 */
export function attemptStanding(facts: AttemptFacts): AttemptPlace {
  if (facts.outcome === 'OPEN') return 'processing';
  if (facts.outcome === 'WITHDRAWN') return 'withdrawn';
  if (facts.providerSaid === 'PAID' || facts.resolvedAs === 'PAID') return 'paid';
  return (facts.providerSaid ?? facts.resolvedAs) === null ? 'unknown' : 'failed';
}

/**
 * One attempt's facts after an event about it: the same per-attempt rules as the
 * domain's evolveInvoice (which the audit compares against), on one attempt's slice, so
 * the projection does not keep every invoice's whole state a second time.
 */
export function evolveAttemptFacts(
  facts: AttemptFacts | null,
  event: InvoiceEvent,
): AttemptFacts | null {
  if (event.type === 'ChargeAttempted')
    return facts ?? { outcome: 'OPEN', providerSaid: null, resolvedAs: null };
  if (!facts) return null;
  switch (event.type) {
    case 'InvoicePaid':
      return {
        ...facts,
        outcome: facts.outcome === 'OPEN' ? 'PAID' : facts.outcome,
        providerSaid: 'PAID',
      };
    case 'ChargeFailed':
      return {
        ...facts,
        outcome: facts.outcome === 'OPEN' ? 'FAILED' : facts.outcome,
        providerSaid: 'FAILED',
      };
    case 'ChargeOutcomeUnknown':
      return { ...facts, outcome: 'UNKNOWN' };
    case 'ChargeWithdrawn':
      return { ...facts, outcome: facts.outcome === 'OPEN' ? 'WITHDRAWN' : facts.outcome };
    case 'InvoiceResolved':
      return { ...facts, resolvedAs: event.data.outcome };
    default:
      return facts;
  }
}
