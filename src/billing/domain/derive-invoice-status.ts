import type { ChargeAttemptRecord } from './invoice-state';
import type { InvoiceStatus } from './invoice-status';

/**
 * The one place status is computed, from the attempts, so every rule holds by
 * construction in both evolve and any projection that folds with it:
 * 1. an open attempt makes it PROCESSING: the claim, and what the recovery sweep looks for;
 * 2. otherwise any money taken (the provider said PAID, or a person resolved PAID) makes it
 *    PAID, for good: no later fact can remove a payment, and nothing can be claimed from
 *    PAID, so PAID is final;
 * 3. otherwise a void (only ever decided from PENDING or FAILED) makes it VOID, for good;
 * 4. otherwise the latest attempt decides: none yet, withdrawn unsent, or requeued after
 *    it is PENDING; a definite answer (provider first, then a person) is FAILED; neither
 *    is UNKNOWN.
 */
export function deriveInvoiceStatus(
  attempts: readonly ChargeAttemptRecord[],
  requeuedAfterAttempt: number,
  voided = false,
): InvoiceStatus {
  if (attempts.some((record) => record.outcome === 'OPEN')) return 'PROCESSING';
  if (attempts.some(tookMoney)) return 'PAID';
  if (voided) return 'VOID';
  const latest = attempts.at(-1);
  if (!latest || requeuedAfterAttempt >= latest.attempt) return 'PENDING';
  if (latest.outcome === 'WITHDRAWN') return 'PENDING';
  return (latest.providerSaid ?? latest.resolvedAs) === null ? 'UNKNOWN' : 'FAILED';
}

function tookMoney(record: ChargeAttemptRecord): boolean {
  return record.providerSaid === 'PAID' || record.resolvedAs === 'PAID';
}
