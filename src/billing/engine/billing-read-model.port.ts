import type { Invoice, InvoiceStatus } from '../domain';
import type { Position } from '../../event-store/position';

/**
 * What the billing engine reads from the read side: where to find work and when the
 * read models have caught up. projections/ implements these ports; reads never touch
 * the event log, and a write decided on what they show appends at the revision read.
 */

export const INVOICE_SCAN = Symbol('INVOICE_SCAN');
export const BILLING_RUN_PROGRESS = Symbol('BILLING_RUN_PROGRESS');
export const PROJECTION_STATUS = Symbol('PROJECTION_STATUS');

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

export interface InvoiceScan {
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
  /**
   * Keyset scan, as scanByStatus, of the PENDING invoices due on or before `dueBy`
   * ("YYYY-MM-DD", a run's billing date): one without a due date is due at once.
   */
  scanDue(
    dueBy: string,
    afterInvoiceId: string | null,
    limit: number,
    upToInvoiceId?: string | null,
  ): Promise<InvoiceSnapshot[]>;
  /**
   * Keyset scan, as scanByStatus, of the FAILED invoices whose scheduled retry is due at
   * `now` (docs/design.md §2.11).
   */
  scanRetriesDue(
    now: Date,
    afterInvoiceId: string | null,
    limit: number,
    upToInvoiceId?: string | null,
  ): Promise<InvoiceSnapshot[]>;
  /** Whether any FAILED invoice has a retry due at `now`: the retry scan starts a run only then. */
  anyRetryDue(now: Date): Promise<boolean>;
  /** An invoice in `status` picked at random (null when there is none): where a scan may start. */
  randomInStatus(status: InvoiceStatus): Promise<string | null>;
  /** PROCESSING invoices whose open attempt was driven before `drivenBefore`. */
  staleAttempts(drivenBefore: Date, limit: number): Promise<InvoiceRef[]>;
}

/** Where a billing run stands, as the billing-runs projection counts its attempts. */
export interface BillingRunProgressView {
  readonly runId: string;
  readonly status: 'RUNNING' | 'COMPLETED';
  /** Attempts of this run by how they stand now. */
  readonly counts: {
    readonly processing: number;
    readonly paid: number;
    readonly failed: number;
    readonly unknown: number;
  };
}

export interface BillingRunProgress {
  get(runId: string): Promise<BillingRunProgressView | null>;
  /** Runs started and not completed, oldest first. */
  running(): Promise<BillingRunProgressView[]>;
}

export interface ProjectionState {
  readonly name: string;
  readonly checkpoint: Position | null;
  /** Whether this instance holds the projection's lease and is the one projecting. */
  readonly activeHere: boolean;
}

export interface ProjectionStatus {
  /**
   * Resolves once every projection has processed the event at `position`; rejects with a
   * ProjectionWaitTimeoutError after `timeoutMs`.
   */
  waitFor(position: Position, timeoutMs: number): Promise<void>;
  states(): Promise<ProjectionState[]>;
}
