import type { ChargeFailureReason, UnknownOutcomeReason, WithdrawReason } from './failure-reason';
import type { Money } from '../../shared/money';

/*
 * Events of the invoice stream `invoice-<id>`. Each is `{ type, data }`, the shape the
 * event store appends, and all data is plain JSON: strings, numbers, booleans, null,
 * Money as a decimal string. Types are aliases (not interfaces) so the compiler can check
 * them against the store's JsonObject.
 */

/**
 * What every stage of a charge records, so the audit trail is complete (docs/design.md §2.4):
 * which attempt, under which idempotency key, for which run, written by which instance.
 */
export type ChargeStage = {
  readonly invoiceId: string;
  /** 1-based. */
  readonly attempt: number;
  /** `invoice-<id>-attempt-<n>`. */
  readonly idempotencyKey: string;
  /** The billing run that made the attempt. */
  readonly runId: string;
  /** The instance that wrote this event (a sweep may end another instance's attempt). */
  readonly instanceId: string;
};

export type InvoiceIssued = {
  readonly type: 'InvoiceIssued';
  readonly data: {
    readonly invoiceId: string;
    readonly customerId: string;
    readonly amount: Money;
    readonly instanceId: string;
    readonly issuedAt: string;
    /** `YYYY-MM-DD`, when the client gave one. */
    readonly dueDate?: string;
    /** Free text, when the client gave one. */
    readonly description?: string;
  };
};

/** The claim: appended at the revision the invoice was seen PENDING (invariant 1). */
export type ChargeAttempted = {
  readonly type: 'ChargeAttempted';
  readonly data: ChargeStage & {
    readonly customerId: string;
    readonly amount: Money;
    readonly attemptedAt: string;
    /** Set on an automatic retry (the retry scan's claim): which retry this is, 1-based. */
    readonly retry?: number;
  };
};

/**
 * The recovery sweep drives an open attempt again with its own idempotency key (only on
 * an idempotent provider). Recorded so the audit shows it, and so the attempt timeout
 * restarts: two sweepers cannot both re-drive the same stale attempt.
 */
export type ChargeRedriven = {
  readonly type: 'ChargeRedriven';
  readonly data: ChargeStage & { readonly redrivenAt: string };
};

/**
 * The instance that claimed an attempt gave it up before sending anything (the provider's
 * breaker was open, it asked to back off, or the instance was shutting down): nothing was
 * charged under its key, the attempt has ended, and the invoice is PENDING again for a
 * new attempt with a new key. Never written for an attempt that may have been sent.
 */
export type ChargeWithdrawn = {
  readonly type: 'ChargeWithdrawn';
  readonly data: ChargeStage & {
    readonly reason: WithdrawReason;
    readonly message: string;
    readonly withdrawnAt: string;
  };
};

export type InvoicePaid = {
  readonly type: 'InvoicePaid';
  readonly data: ChargeStage & { readonly amount: Money; readonly paidAt: string };
};

export type ChargeFailed = {
  readonly type: 'ChargeFailed';
  readonly data: ChargeStage & {
    readonly reason: ChargeFailureReason;
    readonly message: string;
    /** Whether a new attempt may be made automatically; from classifyFailure(reason). */
    readonly retryable: boolean;
    readonly failedAt: string;
  };
};

export type ChargeOutcomeUnknown = {
  readonly type: 'ChargeOutcomeUnknown';
  readonly data: ChargeStage & {
    readonly reason: UnknownOutcomeReason;
    readonly message: string;
    readonly at: string;
  };
};

/** The retry a manual action cancelled: a requeue or a void ends the schedule. */
export type CancelledRetry = { readonly retryNumber: number; readonly at: string };

/** A person sent a FAILED invoice back to PENDING, so a run charges it again. */
export type InvoiceRequeued = {
  readonly type: 'InvoiceRequeued';
  readonly data: {
    readonly invoiceId: string;
    /** The failed attempt this requeue follows. */
    readonly afterAttempt: number;
    readonly requestedBy: string | null;
    readonly note: string | null;
    readonly instanceId: string;
    readonly at: string;
    /** The automatic retry this requeue replaced, when one was scheduled. */
    readonly cancelledRetry?: CancelledRetry;
  };
};

/** A person settled an UNKNOWN attempt, having checked with the provider or the customer. */
export type InvoiceResolved = {
  readonly type: 'InvoiceResolved';
  readonly data: ChargeStage & {
    readonly outcome: 'PAID' | 'FAILED';
    readonly note: string;
    readonly resolvedBy: string | null;
    readonly at: string;
  };
};

/** A person cancelled a PENDING or FAILED invoice: VOID is final, never charged again. */
export type InvoiceVoided = {
  readonly type: 'InvoiceVoided';
  readonly data: {
    readonly invoiceId: string;
    readonly reason: string;
    readonly instanceId: string;
    readonly at: string;
    /** The automatic retry this void cancelled, when one was scheduled. */
    readonly cancelledRetry?: CancelledRetry;
  };
};

/**
 * What the retry policy decided after a failed attempt (docs/design.md §2.11), appended
 * with the ChargeFailed in one append: retry `retryNumber` falls due `at`. The policy's
 * name and the reason's delays are recorded, so the audit explains the retry and a later
 * policy never moves it.
 */
export type RetryScheduled = {
  readonly type: 'RetryScheduled';
  readonly data: {
    readonly invoiceId: string;
    /** The failed attempt this retry follows. */
    readonly afterAttempt: number;
    readonly retryNumber: number;
    readonly at: string;
    readonly reason: ChargeFailureReason;
    /** The delay from the failure to `at`, as the policy wrote it (`3d`). */
    readonly delay: string;
    readonly policy: string;
    /** The reason's delays in the policy: retries left = rule.length - retryNumber + 1. */
    readonly rule: readonly string[];
    readonly scheduledAt: string;
  };
};

/**
 * The policy has no retry left after this failure (or never retries its reason): the
 * invoice stays FAILED until a person requeues, voids or settles it.
 */
export type RetriesExhausted = {
  readonly type: 'RetriesExhausted';
  readonly data: {
    readonly invoiceId: string;
    readonly afterAttempt: number;
    /** Automatic retries made before it (0: the reason is never retried). */
    readonly retriesMade: number;
    readonly reason: ChargeFailureReason;
    readonly policy: string;
    readonly rule: readonly string[];
    readonly at: string;
  };
};

export type InvoiceEvent =
  | InvoiceIssued
  | ChargeAttempted
  | ChargeRedriven
  | InvoicePaid
  | ChargeFailed
  | ChargeOutcomeUnknown
  | ChargeWithdrawn
  | InvoiceRequeued
  | InvoiceResolved
  | InvoiceVoided
  | RetryScheduled
  | RetriesExhausted;

export type InvoiceEventType = InvoiceEvent['type'];

export const INVOICE_EVENT_TYPES: readonly InvoiceEventType[] = [
  'InvoiceIssued',
  'ChargeAttempted',
  'ChargeRedriven',
  'InvoicePaid',
  'ChargeFailed',
  'ChargeOutcomeUnknown',
  'ChargeWithdrawn',
  'InvoiceRequeued',
  'InvoiceResolved',
  'InvoiceVoided',
  'RetryScheduled',
  'RetriesExhausted',
];

export function isInvoiceEventType(type: string): type is InvoiceEventType {
  return (INVOICE_EVENT_TYPES as readonly string[]).includes(type);
}
