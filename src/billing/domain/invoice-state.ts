import type { ChargeFailureReason } from './failure-reason';
import type { InvoiceStatus } from './invoice-status';
import type { Money } from '../../shared/money';

/**
 * How an attempt ended first. Each attempt gets exactly one of these (invariant 2);
 * WITHDRAWN: given up unsent by its claimer, nothing charged.
 */
export type AttemptOutcome = 'OPEN' | 'PAID' | 'FAILED' | 'UNKNOWN' | 'WITHDRAWN';

/** A definite answer about money: from the provider, or from a person. */
export type Settlement = 'PAID' | 'FAILED';

export interface ChargeAttemptRecord {
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly runId: string;
  readonly instanceId: string;
  readonly attemptedAt: string;
  /** When the attempt was claimed or last re-driven: the attempt timeout counts from here. */
  readonly lastDrivenAt: string;
  readonly outcome: AttemptOutcome;
  /** What the provider said: on time (outcome PAID/FAILED) or late, after UNKNOWN. */
  readonly providerSaid: Settlement | null;
  /** The reason, when the provider said FAILED. */
  readonly failureReason: ChargeFailureReason | null;
  /** What a person decided for an UNKNOWN outcome. */
  readonly resolvedAs: Settlement | null;
  /** Which automatic retry this attempt was (0: an ordinary attempt, a run's or a requeue's). */
  readonly retry: number;
  /** What the retry policy decided after this attempt failed; null when nothing was. */
  readonly scheduledAfter: RetryStep | null;
}

/** What the retry policy decided after a failed attempt (RetryScheduled / RetriesExhausted). */
export type RetryStep =
  | {
      readonly kind: 'retry';
      readonly retryNumber: number;
      readonly at: string;
      readonly policy: string;
    }
  | { readonly kind: 'exhausted'; readonly retriesMade: number; readonly policy: string };

/** The automatic retry due next (RetryScheduled), while the invoice is FAILED. */
export interface ScheduledRetry {
  readonly retryNumber: number;
  readonly at: string;
  readonly afterAttempt: number;
  readonly reason: ChargeFailureReason;
  readonly delay: string;
  readonly policy: string;
  readonly rule: readonly string[];
}

/** No automatic retry is left (RetriesExhausted): the FAILED invoice needs a person. */
export interface ExhaustedRetries {
  readonly afterAttempt: number;
  readonly retriesMade: number;
  readonly reason: ChargeFailureReason;
  readonly policy: string;
  readonly at: string;
}

export interface FailureRecord {
  readonly attempt: number;
  readonly reason: ChargeFailureReason;
  readonly message: string;
  readonly retryable: boolean;
  readonly failedAt: string;
}

/** The stream does not exist yet. */
export interface NoInvoice {
  readonly exists: false;
}

export interface Invoice {
  readonly exists: true;
  readonly invoiceId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly issuedAt: string;
  readonly dueDate: string | null;
  readonly description: string | null;
  /** Set by InvoiceVoided: the invoice is VOID for good. */
  readonly voidedAt: string | null;
  /** Derived from the attempts (see deriveInvoiceStatus), never set directly. */
  readonly status: InvoiceStatus;
  /** Every attempt, in order: `attempts[n - 1]` is attempt n; its length is the count. */
  readonly attempts: readonly ChargeAttemptRecord[];
  /** The attempt in flight; non-null exactly when the status is PROCESSING. */
  readonly openAttempt: ChargeAttemptRecord | null;
  /** The last ChargeFailed the provider reported, if any. */
  readonly lastFailure: FailureRecord | null;
  /** Set by a requeue: the attempt after which the invoice went back to PENDING (0: never). */
  readonly requeuedAfterAttempt: number;
  /** The retry scheduled after the latest failure; null unless the invoice is FAILED. */
  readonly nextRetry: ScheduledRetry | null;
  /** Set when the policy has no retry left; null unless the invoice is FAILED. */
  readonly retriesExhausted: ExhaustedRetries | null;
}

export type InvoiceState = NoInvoice | Invoice;

export const initialInvoiceState: InvoiceState = Object.freeze({ exists: false });

export function findAttempt(invoice: Invoice, attempt: number): ChargeAttemptRecord | null {
  return Number.isInteger(attempt) && attempt >= 1 ? (invoice.attempts[attempt - 1] ?? null) : null;
}

export function latestAttempt(invoice: Invoice): ChargeAttemptRecord | null {
  return invoice.attempts.at(-1) ?? null;
}

/**
 * The scheduled retry if it is due at `now`: the invoice is still FAILED and its time has
 * come. The retry scan's claim is accepted only then.
 */
export function dueRetry(invoice: Invoice, now: string): ScheduledRetry | null {
  const next = invoice.status === 'FAILED' ? (invoice.nextRetry ?? null) : null;
  return next !== null && Date.parse(next.at) <= Date.parse(now) ? next : null;
}

/** Automatic retries still to come: the scheduled one and those after it; 0 when exhausted. */
export function retriesLeft(invoice: Invoice): number | null {
  const next = invoice.nextRetry ?? null;
  if (next !== null) return next.rule.length - next.retryNumber + 1;
  return (invoice.retriesExhausted ?? null) === null ? null : 0;
}
