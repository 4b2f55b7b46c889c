import type { Decision, DomainError } from './decision';
import type { InvoiceEvent } from './invoice-events';

/**
 * Every reason decide refuses an invoice command. Closed, so the REST layer's one error
 * mapping is exhaustive and the engine can branch on codes, not on messages.
 */
export const INVOICE_ERROR_CODES = [
  /** The command is malformed (bad id, empty note, bad timestamp, non-positive amount...). */
  'INVALID_COMMAND',
  /** No InvoiceIssued in the stream. */
  'INVOICE_NOT_FOUND',
  /** IssueInvoice for an invoice that exists with other facts (the message names them). */
  'ALREADY_ISSUED',
  /** IssueInvoice for a customer that was never registered. */
  'CUSTOMER_NOT_FOUND',
  /** IssueInvoice in a currency other than the customer's. */
  'CURRENCY_MISMATCH',
  /** VoidInvoice on an invoice that is not PENDING or FAILED. */
  'NOT_VOIDABLE',
  /** ClaimCharge on an invoice that is not PENDING (someone else holds it, or it is done). */
  'NOT_PENDING',
  /** ClaimCharge by a run whose billing date is before the invoice's due date. */
  'NOT_DUE',
  /**
   * A retry claim (ClaimCharge with `retry`) on an invoice that is not FAILED with that
   * retry scheduled, or before its time: a person acted, or another instance retried it.
   */
  'RETRY_NOT_DUE',
  /** RequeueInvoice on an invoice that is not FAILED. */
  'NOT_FAILED',
  /** ResolveInvoice on an invoice that is not UNKNOWN. */
  'NOT_UNKNOWN',
  /** The attempt named does not exist, or is not the one the command may act on. */
  'ATTEMPT_MISMATCH',
  /** This outcome is already recorded for this attempt: an engine retry, treat as done. */
  'OUTCOME_ALREADY_RECORDED',
  /** The provider already gave a different definite answer for this attempt: alert a person. */
  'OUTCOME_CONFLICT',
  /** The sweep acted on an attempt that is not yet past the attempt timeout. */
  'ATTEMPT_NOT_EXPIRED',
] as const;

export type InvoiceErrorCode = (typeof INVOICE_ERROR_CODES)[number];
export type InvoiceError = DomainError<InvoiceErrorCode>;
export type InvoiceDecision = Decision<InvoiceEvent, InvoiceErrorCode>;
