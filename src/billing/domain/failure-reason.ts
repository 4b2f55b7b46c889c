/**
 * Why a charge failed, as a closed union (docs/design.md §4.2). Each reason has one class, and the
 * class says what may happen next.
 */
export const CHARGE_FAILURE_REASONS = [
  /** The provider answered `false`: balance too low. Dunning may try again later. */
  'INSUFFICIENT_FUNDS',
  /** The provider does not know the customer: a person must reconcile. */
  'CUSTOMER_NOT_FOUND',
  /** The invoice currency is not the customer's: a person must reconcile. */
  'CURRENCY_MISMATCH',
  /** The provider definitely refused for another reason (e.g. HTTP 4xx): reconcile. */
  'PROVIDER_REJECTED',
  /** The request provably never reached the provider and retries ran out. Safe to retry. */
  'NETWORK',
] as const;
export type ChargeFailureReason = (typeof CHARGE_FAILURE_REASONS)[number];

/** Why an attempt's outcome is unknown: money may or may not have moved. */
export const UNKNOWN_OUTCOME_REASONS = [
  /** A network error or timeout after the request may have left, on a non-idempotent provider. */
  'AMBIGUOUS_NETWORK_ERROR',
  /** The recovery sweep found the attempt open longer than the attempt timeout. */
  'ATTEMPT_TIMED_OUT',
] as const;
export type UnknownOutcomeReason = (typeof UNKNOWN_OUTCOME_REASONS)[number];

/** Why a claimed attempt was withdrawn, nothing charged (ChargeWithdrawn). */
export const WITHDRAW_REASONS = [
  /** The provider's circuit breaker was open, or it refused the connection or answered 503. */
  'PROVIDER_UNAVAILABLE',
  /** The provider asked to slow down (429, Retry-After). */
  'PROVIDER_BACKOFF',
  /** The instance was stopping. */
  'SHUTTING_DOWN',
  /** The claim waited so long the recovery sweep could act on it. */
  'CLAIM_TOO_OLD',
  /**
   * The recovery sweep: the provider's lookup has no record of the key, and its declared
   * processing deadline has passed since the last possible send (WithdrawPastDeadline).
   */
  'PROVIDER_DEADLINE_PASSED',
] as const;
export type WithdrawReason = (typeof WITHDRAW_REASONS)[number];

export function isWithdrawReason(value: unknown): value is WithdrawReason {
  return typeof value === 'string' && (WITHDRAW_REASONS as readonly string[]).includes(value);
}

export type FailureClass = 'business' | 'permanent' | 'transient' | 'ambiguous';

export interface FailureClassification {
  readonly class: FailureClass;
  /** Whether a new attempt may be made automatically (later, by dunning or the next run). */
  readonly retryable: boolean;
}

const CLASSIFICATION: Readonly<
  Record<ChargeFailureReason | UnknownOutcomeReason, FailureClassification>
> = {
  INSUFFICIENT_FUNDS: { class: 'business', retryable: true },
  CUSTOMER_NOT_FOUND: { class: 'permanent', retryable: false },
  CURRENCY_MISMATCH: { class: 'permanent', retryable: false },
  PROVIDER_REJECTED: { class: 'permanent', retryable: false },
  NETWORK: { class: 'transient', retryable: true },
  // Never retried automatically: a second attempt could charge twice. A person settles it.
  AMBIGUOUS_NETWORK_ERROR: { class: 'ambiguous', retryable: false },
  ATTEMPT_TIMED_OUT: { class: 'ambiguous', retryable: false },
};

export function classifyFailure(
  reason: ChargeFailureReason | UnknownOutcomeReason,
): FailureClassification {
  return CLASSIFICATION[reason];
}

export function isChargeFailureReason(value: unknown): value is ChargeFailureReason {
  return typeof value === 'string' && (CHARGE_FAILURE_REASONS as readonly string[]).includes(value);
}

export function isUnknownOutcomeReason(value: unknown): value is UnknownOutcomeReason {
  return (
    typeof value === 'string' && (UNKNOWN_OUTCOME_REASONS as readonly string[]).includes(value)
  );
}
