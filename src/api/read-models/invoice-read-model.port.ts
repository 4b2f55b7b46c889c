import type {
  ChargeFailureReason,
  InvoiceStatus,
  Money,
  RetryStep,
  UnknownOutcomeReason,
} from '../../billing/domain';
import type { Page, PageRequest } from '../../shared/page';

/**
 * The invoice views the REST queries read. projections/ implements the port on
 * PostgreSQL/PGlite; reads never touch the event log.
 */
export const INVOICE_READ_MODEL = Symbol('INVOICE_READ_MODEL');

/**
 * A page of invoices: by number (`page`, an OFFSET: O(offset), for shallow pages) or
 * after a cursor (`after`, a keyset: O(size) at any depth). Never both.
 */
export type InvoicePageRequest =
  | (PageRequest & { readonly after?: undefined })
  | { readonly after: string; readonly size: number; readonly page?: undefined };

export interface InvoicePage extends Omit<Page<InvoiceView>, 'page'> {
  /** The page number asked for; null for a page asked for by `after`. */
  readonly page: number | null;
  /** The cursor of the following page (its `after`): the last item's id; null at the end. */
  readonly next: string | null;
}

export interface InvoiceView {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly status: InvoiceStatus;
  /** `YYYY-MM-DD`: no run charges it before this date; null: due at once. */
  readonly dueDate: string | null;
  readonly description: string | null;
  /** How many charge attempts were made. */
  readonly attempts: number;
  readonly lastFailure: {
    readonly attempt: number;
    readonly reason: ChargeFailureReason;
    readonly message: string;
    readonly retryable: boolean;
    readonly failedAt: string;
  } | null;
  /** When the open attempt was claimed or last re-driven; null unless PROCESSING. */
  readonly processingSince: string | null;
  /** When the scheduled automatic retry falls due; null when none is (docs/design.md §2.11). */
  readonly nextRetryAt: string | null;
  /** Automatic retries still to come (the scheduled one included); 0 when exhausted; null: no dunning. */
  readonly retriesLeft: number | null;
  /** FAILED with no retry left: it needs a person. */
  readonly retriesExhausted: boolean;
  /** The revision of the invoice stream this row reflects. */
  readonly revision: bigint;
  readonly issuedAt: string;
  readonly updatedAt: string;
}

/** One entry of an invoice's failure history, oldest first. */
export interface FailureView {
  readonly attempt: number;
  readonly reason: ChargeFailureReason | UnknownOutcomeReason;
  readonly message: string;
  readonly retryable: boolean;
  readonly failedAt: string;
  /** Which automatic retry this attempt was (0: an ordinary attempt). */
  readonly retry: number;
  /** What was scheduled after it; null when nothing was (an UNKNOWN outcome, before dunning). */
  readonly then: RetryStep | null;
}

/** The lists of dunning: invoices with a retry scheduled, and those with none left. */
export const RETRY_LISTS = ['awaiting-retry', 'retries-exhausted'] as const;
export type RetryList = (typeof RETRY_LISTS)[number];

export interface InvoiceReadModel {
  /** Ordered by invoice id (shorter ids first, then bytewise: "2" before "10"). */
  list(request: InvoicePageRequest): Promise<InvoicePage>;
  byStatus(status: InvoiceStatus, request: InvoicePageRequest): Promise<InvoicePage>;
  get(invoiceId: string): Promise<InvoiceView | null>;
  /** null when the invoice is unknown; [] when it never failed. */
  failures(invoiceId: string): Promise<FailureView[] | null>;
  /** The invoices awaiting a retry, or whose retries are exhausted, by invoice id. */
  byRetry(list: RetryList, request: InvoicePageRequest): Promise<InvoicePage>;
  /** How many invoices are in each retry list (a gauge for metrics). */
  retryCounts(): Promise<Record<RetryList, number>>;
}
