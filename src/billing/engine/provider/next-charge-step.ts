import type { ChargeOutcomeReport, WithdrawReason } from '../../domain';
import type { ChargeErrorClass } from '../classify-charge-error';

/** What just happened to a claimed attempt on its way to the provider. */
export type ChargeEvent =
  /** The provider gave a definite answer: paid, declined, or a definite refusal. */
  | { readonly kind: 'answered'; readonly report: ChargeOutcomeReport }
  /** The provider threw; classified by classifyChargeError. */
  | { readonly kind: 'error'; readonly error: Exclude<ChargeErrorClass, { kind: 'failed' }> }
  /** The gate did not let it go (breaker open or probing elsewhere, or a back-off). */
  | { readonly kind: 'gate-closed'; readonly why: 'unavailable' | 'backing-off' }
  /** The instance is stopping before it could (again) send. */
  | { readonly kind: 'stopping' }
  /** The claim is old enough for the recovery sweep to act on it: it must not be sent now. */
  | { readonly kind: 'too-old' };

/** What the attempt has been through so far. */
export interface ChargeHistory {
  /** The provider deduplicates by key: sending the same key twice charges at most once. */
  readonly idempotent: boolean;
  /** Sends so far (each ended provably unsent or ambiguous; an answer ends the attempt). */
  readonly sends: number;
  /** One of those sends may have reached the provider (an ambiguous answer). */
  readonly mayHaveReachedProvider: boolean;
}

/** What to do next; `reason`/`message` say why, for the event and the log. */
export type ChargeStep =
  | { readonly kind: 'record'; readonly report: ChargeOutcomeReport }
  /** Wait for the gate (and a short retry delay), then send again with the SAME key. */
  | { readonly kind: 'resend'; readonly message: string }
  /** Nothing was processed: ChargeWithdrawn, the invoice is PENDING again (invariant 7). */
  | { readonly kind: 'withdraw'; readonly reason: WithdrawReason; readonly message: string }
  /** It may have been processed and cannot be settled here: the attempt stays open for the sweep. */
  | { readonly kind: 'leave-open'; readonly message: string };

/**
 * Decides the next step of one claimed attempt (docs/design.md §2.6, §2.7). Pure: the
 * engine feeds it what happened and does what it says.
 *
 * - A definite answer is recorded; nothing else fails an invoice (invariant 6).
 * - A request that provably never left (refused, 503, 429) is sent again with the same
 *   key once the gate allows; it never becomes FAILED (NETWORK).
 * - An ambiguous answer is UNKNOWN on a non-idempotent provider, never retried; an
 *   idempotent provider gets the same key again.
 * - An attempt that cannot be sent now (gate closed before the first send, stopping, too
 *   old) is withdrawn if nothing can have reached the provider, otherwise left open for
 *   the sweep, which settles it with the same key or a lookup.
 */
export function nextChargeStep(event: ChargeEvent, history: ChargeHistory): ChargeStep {
  switch (event.kind) {
    case 'answered':
      return { kind: 'record', report: event.report };
    case 'error':
      if (event.error.kind === 'transient') return { kind: 'resend', message: event.error.message };
      if (!history.idempotent) return { kind: 'record', report: unknown(event.error.message) };
      return { kind: 'resend', message: event.error.message };
    case 'gate-closed':
      // Before the first send: claimed while the gate was open, closed since. Withdrawn
      // rather than held: the slot goes back and the invoice is claimed again later.
      // After a send, the attempt waits for the gate (its key may be in the provider's
      // hands already, and resending it is the point).
      if (history.sends > 0) return { kind: 'resend', message: 'waiting for the provider' };
      return giveUp(
        history,
        event.why === 'unavailable' ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_BACKOFF',
        event.why === 'unavailable'
          ? 'not sent: the provider is unavailable (circuit breaker open)'
          : 'not sent: the provider asked to back off (Retry-After)',
      );
    case 'stopping':
      return giveUp(history, 'SHUTTING_DOWN', 'not sent: the instance is shutting down');
    case 'too-old':
      return giveUp(
        history,
        'CLAIM_TOO_OLD',
        'not sent: the claim waited so long that the recovery sweep may act on it',
      );
  }
}

function giveUp(history: ChargeHistory, reason: WithdrawReason, message: string): ChargeStep {
  if (!history.mayHaveReachedProvider) return { kind: 'withdraw', reason, message };
  return { kind: 'leave-open', message: `${message}; an earlier send may have reached it` };
}

function unknown(message: string): ChargeOutcomeReport {
  return { kind: 'unknown', message };
}
