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
}

export type InvoiceState = NoInvoice | Invoice;

export const initialInvoiceState: InvoiceState = Object.freeze({ exists: false });

export function findAttempt(invoice: Invoice, attempt: number): ChargeAttemptRecord | null {
  return Number.isInteger(attempt) && attempt >= 1 ? (invoice.attempts[attempt - 1] ?? null) : null;
}

export function latestAttempt(invoice: Invoice): ChargeAttemptRecord | null {
  return invoice.attempts.at(-1) ?? null;
}
