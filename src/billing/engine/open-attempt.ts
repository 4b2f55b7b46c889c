import type { Invoice } from '../domain';

/** A charge attempt this instance holds open: claimed (or re-driven) and not yet answered. */
export interface OpenAttempt {
  readonly invoiceId: string;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly runId: string;
  /** The invoice with this attempt open, as of `revision`. */
  readonly state: Invoice;
  /** The stream's revision after the claim or re-drive: where the outcome goes. */
  readonly revision: bigint;
  /** The event that opened (or re-drove) the attempt; the outcome's causation. */
  readonly causationId: string | null;
}

/** The open attempt of `state` at `revision`, or null when no attempt is open. */
export function openAttemptOf(
  state: Invoice,
  revision: bigint,
  causationId: string | null,
): OpenAttempt | null {
  const open = state.openAttempt;
  if (!open) return null;
  return {
    invoiceId: state.invoiceId,
    attempt: open.attempt,
    idempotencyKey: open.idempotencyKey,
    runId: open.runId,
    state,
    revision,
    causationId,
  };
}
