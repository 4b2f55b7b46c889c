import { latestAttempt, type ChargeAttemptRecord, type Invoice } from '../domain';

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
  return open ? attemptOf(state, open, revision, causationId) : null;
}

/**
 * The latest attempt of `state` when it ended UNKNOWN and the provider has not answered
 * since: what a lookup can still settle. Recorded answers go where an open attempt's go.
 */
export function unansweredAttemptOf(state: Invoice, revision: bigint): OpenAttempt | null {
  const latest = latestAttempt(state);
  if (latest?.outcome !== 'UNKNOWN' || latest.providerSaid !== null) return null;
  return attemptOf(state, latest, revision, null);
}

function attemptOf(
  state: Invoice,
  open: ChargeAttemptRecord,
  revision: bigint,
  causationId: string | null,
): OpenAttempt {
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
