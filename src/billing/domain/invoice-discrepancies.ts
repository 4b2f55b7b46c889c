import type { Invoice } from './invoice-state';

/**
 * Money facts that disagree, for an operator's audit. The status stays as derived (PAID
 * is final); these say where a refund or a conversation with the provider is needed.
 * - CHARGED_MORE_THAN_ONCE: the provider took money on more than one attempt;
 * - RESOLUTION_CONTRADICTED: a person settled an UNKNOWN attempt one way, the provider's
 *   late answer says the other;
 * - ATTEMPT_UNSETTLED: an UNKNOWN attempt nobody answered, on an invoice that is no
 *   longer UNKNOWN (a late payment of an earlier attempt made it PAID), so no
 *   ResolveInvoice will reach it.
 */
export type InvoiceDiscrepancy =
  | { readonly kind: 'CHARGED_MORE_THAN_ONCE'; readonly attempts: readonly number[] }
  | {
      readonly kind: 'RESOLUTION_CONTRADICTED';
      readonly attempt: number;
      readonly resolvedAs: 'PAID' | 'FAILED';
      readonly providerSaid: 'PAID' | 'FAILED';
    }
  | { readonly kind: 'ATTEMPT_UNSETTLED'; readonly attempt: number };

export function findInvoiceDiscrepancies(invoice: Invoice): InvoiceDiscrepancy[] {
  const found: InvoiceDiscrepancy[] = [];
  const paid = invoice.attempts
    .filter((record) => record.providerSaid === 'PAID')
    .map((record) => record.attempt);
  if (paid.length > 1) found.push({ kind: 'CHARGED_MORE_THAN_ONCE', attempts: paid });
  for (const record of invoice.attempts) {
    const { attempt, resolvedAs, providerSaid } = record;
    if (resolvedAs !== null && providerSaid !== null && resolvedAs !== providerSaid) {
      found.push({ kind: 'RESOLUTION_CONTRADICTED', attempt, resolvedAs, providerSaid });
    }
    const unanswered = record.outcome === 'UNKNOWN' && resolvedAs === null && providerSaid === null;
    if (unanswered && invoice.status !== 'UNKNOWN')
      found.push({ kind: 'ATTEMPT_UNSETTLED', attempt });
  }
  return found;
}
