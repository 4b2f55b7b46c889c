import type {
  ChargeFailureReason,
  Invoice,
  InvoiceStatus,
  Money,
  UnknownOutcomeReason,
} from '../src/billing/domain';
import type { Position } from '../src/event-store/position';

/**
 * What the read side offers the rest of the service. The REST queries and the billing
 * engine code against these ports; projections/ implements them on PostgreSQL/PGlite.
 * Reads never touch the event log.
 */

export const INVOICE_READ_MODEL = Symbol('INVOICE_READ_MODEL');
export const CUSTOMER_READ_MODEL = Symbol('CUSTOMER_READ_MODEL');
export const BILLING_RUN_READ_MODEL = Symbol('BILLING_RUN_READ_MODEL');
export const PROJECTION_STATUS = Symbol('PROJECTION_STATUS');

export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly size: number;
  readonly total: number;
}

export interface PageRequest {
  /** 0-based. */
  readonly page: number;
  /** 1..500. */
  readonly size: number;
}

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
}

export interface InvoiceRef {
  readonly invoiceId: string;
  readonly revision: bigint;
}

/**
 * An invoice as the read model last folded it: `state` is evolveInvoice over its stream
 * up to `revision`. A snapshot, not the truth: a write decided on it must append at
 * `revision`, which fails if the stream has moved since.
 */
export interface InvoiceSnapshot extends InvoiceRef {
  readonly state: Invoice;
}

export interface InvoiceReadModel {
  /** Ordered by invoice id (shorter ids first, then bytewise: "2" before "10"). */
  list(request: InvoicePageRequest): Promise<InvoicePage>;
  byStatus(status: InvoiceStatus, request: InvoicePageRequest): Promise<InvoicePage>;
  get(invoiceId: string): Promise<InvoiceView | null>;
  /** null when the invoice is unknown; [] when it never failed. */
  failures(invoiceId: string): Promise<FailureView[] | null>;
  /**
   * Keyset scan of the invoices in `status` after `afterInvoiceId` (exclusive) and up to
   * `upToInvoiceId` (inclusive; null: to the end), in id order.
   */
  scanByStatus(
    status: InvoiceStatus,
    afterInvoiceId: string | null,
    limit: number,
    upToInvoiceId?: string | null,
  ): Promise<InvoiceSnapshot[]>;
  /** An invoice in `status` picked at random (null when there is none): where a scan may start. */
  randomInStatus(status: InvoiceStatus): Promise<string | null>;
  /** PROCESSING invoices whose open attempt was driven before `drivenBefore`. */
  staleAttempts(drivenBefore: Date, limit: number): Promise<InvoiceRef[]>;
  /** Invoice counts by status, every status present (0 when none), as the projection keeps them. */
  countByStatus(): Promise<Record<InvoiceStatus, number>>;
}

export interface CustomerView {
  readonly customerId: string;
  readonly currency: Money['currency'];
  readonly invoices: number;
}

export interface CustomerReadModel {
  list(page: PageRequest): Promise<Page<CustomerView>>;
  get(customerId: string): Promise<CustomerView | null>;
}

export interface BillingRunView {
  readonly runId: string;
  readonly period: string | null;
  readonly trigger: 'scheduled' | 'manual';
  readonly status: 'RUNNING' | 'COMPLETED';
  readonly startedAt: string;
  readonly completedAt: string | null;
  /** Attempts of this run by how they stand now. */
  readonly counts: {
    readonly processing: number;
    readonly paid: number;
    readonly failed: number;
    readonly unknown: number;
  };
}

export interface BillingRunReadModel {
  /** Newest first. */
  list(page: PageRequest): Promise<Page<BillingRunView>>;
  get(runId: string): Promise<BillingRunView | null>;
  /** Runs started and not completed, oldest first. */
  running(): Promise<BillingRunView[]>;
}

export interface ProjectionState {
  readonly name: string;
  readonly checkpoint: Position | null;
  /** Whether this instance holds the projection's lease and is the one projecting. */
  readonly activeHere: boolean;
}

export interface ProjectionStatus {
  /** Resolves once every projection has processed the event at `position`. */
  waitFor(position: Position, timeoutMs: number): Promise<void>;
  states(): Promise<ProjectionState[]>;
}
