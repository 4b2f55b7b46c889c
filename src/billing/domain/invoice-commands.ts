import type { ChargeFailureReason, WithdrawReason } from './failure-reason';
import type { Money } from '../../shared/money';
import type { CustomerState } from './customer-state';
import type { ProcessingDeadline } from './provider-deadline';

export type IssueInvoice = {
  readonly type: 'IssueInvoice';
  readonly invoiceId: string;
  readonly customerId: string;
  readonly amount: Money;
  /** `YYYY-MM-DD`. */
  readonly dueDate?: string;
  readonly description?: string;
  /**
   * The customer's stream as the caller read it: the invoice must be for a registered
   * customer, in their currency. Absent for writers that predate registration (seeds).
   */
  readonly customer?: CustomerState;
};

/**
 * Start an attempt (the claim). Only from PENDING, and only once due; or, for an automatic
 * retry (`retry` set, the retry scan), only from FAILED with that retry scheduled and due.
 */
export type ClaimCharge = {
  readonly type: 'ClaimCharge';
  readonly invoiceId: string;
  /** The billing run this attempt belongs to. */
  readonly runId: string;
  /**
   * The run's billing date ("YYYY-MM-DD"): an invoice due after it is not charged.
   * Absent for a claim outside any run's dates (the demo seed's).
   */
  readonly dueBy?: string;
  /** The scheduled retry's number the claimer saw due. */
  readonly retry?: number;
};

/** What the provider call gave, as the engine saw it. */
export type ChargeOutcomeReport =
  | { readonly kind: 'paid' }
  | { readonly kind: 'failed'; readonly reason: ChargeFailureReason; readonly message?: string }
  /** The request may have reached a non-idempotent provider: nobody knows. */
  | { readonly kind: 'unknown'; readonly message?: string };

/** Record how an attempt ended, or the late truth for an attempt marked UNKNOWN. */
export type RecordChargeOutcome = {
  readonly type: 'RecordChargeOutcome';
  readonly invoiceId: string;
  readonly attempt: number;
  readonly outcome: ChargeOutcomeReport;
};

/** Recovery sweep, idempotent provider: drive a stale open attempt again with its own key. */
export type RedriveCharge = {
  readonly type: 'RedriveCharge';
  readonly invoiceId: string;
  readonly attempt: number;
  /** The attempt must have been claimed or re-driven at least this long ago. */
  readonly attemptTimeoutMs: number;
};

/** Recovery sweep, non-idempotent provider: a stale open attempt becomes UNKNOWN. */
export type MarkOutcomeUnknown = {
  readonly type: 'MarkOutcomeUnknown';
  readonly invoiceId: string;
  readonly attempt: number;
  /** The attempt must have been claimed or re-driven at least this long ago. */
  readonly attemptTimeoutMs: number;
};

/**
 * The claiming instance gives an attempt up unsent (invariant 7): only at the revision it
 * claimed at, so nothing (a sweep's re-drive, an outcome) can have happened since.
 */
export type WithdrawCharge = {
  readonly type: 'WithdrawCharge';
  readonly invoiceId: string;
  readonly attempt: number;
  readonly reason: WithdrawReason;
  readonly message: string;
};

/**
 * Recovery sweep: the provider's lookup answered `not_found` for a stale open attempt, and
 * the provider declared a processing deadline. Accepted only if the lookup was asked
 * after that deadline had passed since the attempt's last possible send: nothing was
 * charged, and nothing will be.
 */
export type WithdrawPastDeadline = {
  readonly type: 'WithdrawPastDeadline';
  readonly invoiceId: string;
  readonly attempt: number;
  readonly deadline: ProcessingDeadline;
  /** When the lookup that answered `not_found` was sent (ISO): the evidence's time, not now. */
  readonly notFoundAt: string;
};

/** A person sends a FAILED invoice back to PENDING. */
export type RequeueInvoice = {
  readonly type: 'RequeueInvoice';
  readonly invoiceId: string;
  readonly requestedBy?: string;
  readonly note?: string;
};

/** A person settles an UNKNOWN invoice. */
export type ResolveInvoice = {
  readonly type: 'ResolveInvoice';
  readonly invoiceId: string;
  /** When given, must be the unknown attempt: guards against acting on a stale screen. */
  readonly attempt?: number;
  readonly outcome: 'PAID' | 'FAILED';
  /** Required: how the person knows (provider dashboard, bank statement, customer...). */
  readonly note: string;
  readonly resolvedBy?: string;
};

/** A person cancels a PENDING or FAILED invoice. */
export type VoidInvoice = {
  readonly type: 'VoidInvoice';
  readonly invoiceId: string;
  readonly reason: string;
};

export type InvoiceCommand =
  | IssueInvoice
  | ClaimCharge
  | RecordChargeOutcome
  | RedriveCharge
  | MarkOutcomeUnknown
  | WithdrawCharge
  | WithdrawPastDeadline
  | RequeueInvoice
  | ResolveInvoice
  | VoidInvoice;
