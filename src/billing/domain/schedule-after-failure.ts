import type { ChargeFailureReason } from './failure-reason';
import type { Invoice } from './invoice-state';
import { findAttempt } from './invoice-state';
import { retryDelayMs, type RetryPolicy } from './retry-policy';

/** What the policy in force says after a failed attempt. */
export type RetryDecision =
  | {
      readonly kind: 'retry';
      /** 1 for the first automatic retry after an ordinary attempt. */
      readonly retryNumber: number;
      /** When it falls due: the failure's time plus `delay`. */
      readonly at: string;
      readonly delay: string;
      /** The reason's delays as the policy had them, for the audit. */
      readonly rule: readonly string[];
    }
  | {
      readonly kind: 'exhausted';
      /** Automatic retries made before this failure (0: the reason is never retried). */
      readonly retriesMade: number;
      readonly rule: readonly string[];
    };

/**
 * The schedule after attempt `failure.attempt` failed for `failure.reason` at `now`. An
 * attempt that was itself retry n is followed by retry n + 1 at the reason's (n + 1)th
 * delay, counted from this failure; an ordinary attempt (a run's, or after a requeue)
 * starts again at retry 1. When the reason has no delay left the retries are exhausted.
 */
export function scheduleAfterFailure(
  policy: RetryPolicy,
  history: Invoice,
  failure: { readonly attempt: number; readonly reason: ChargeFailureReason },
  now: string,
): RetryDecision {
  const retriesMade = findAttempt(history, failure.attempt)?.retry ?? 0;
  const rule = policy.retries[failure.reason] ?? [];
  const delay = rule[retriesMade];
  const delayMs = delay === undefined ? null : retryDelayMs(delay);
  if (delay === undefined || delayMs === null) return { kind: 'exhausted', retriesMade, rule };
  const at = new Date(Date.parse(now) + delayMs).toISOString();
  return { kind: 'retry', retryNumber: retriesMade + 1, at, delay, rule };
}
