import {
  INVOICE_STATUSES,
  isEntityId,
  type ChargeFailureReason,
  type Currency,
  type Invoice,
  type InvoiceStatus,
} from '../../src/billing/domain';
import type { SqlQueryable } from '../../src/database/sql-database';
import type {
  FailureView,
  InvoicePage,
  InvoicePageRequest,
  InvoiceReadModel,
  InvoiceView,
} from '../../src/api/read-models/invoice-read-model.port';
import type {
  InvoiceRef,
  InvoiceScan,
  InvoiceSnapshot,
} from '../../src/billing/engine/billing-read-model.port';
import type { InvoiceCounts } from '../../src/cli/invoice-counts.port';
import type { RetryList } from '../../src/api/read-models/invoice-read-model.port';
import { findFailures } from '../invoice-failures/find-failures';
import { idOrderOf } from '../sql/id-order';
import { checkedSize, isoColumn, pageBounds, withNextCursor } from '../sql/paging';

interface InvoiceRow {
  invoice_id: string;
  customer_id: string;
  amount_value: string;
  currency: Currency;
  status: InvoiceStatus;
  attempts: number;
  last_failure_attempt: number | null;
  last_failure_reason: ChargeFailureReason | null;
  last_failure_message: string | null;
  last_failure_retryable: boolean | null;
  /** Timestamps as ISO strings (isoColumn). */
  last_failed_at: string | null;
  processing_since: string | null;
  revision: bigint;
  issued_at: string;
  updated_at: string;
  /** `YYYY-MM-DD`, whatever the session's DateStyle. */
  due_date: string | null;
  description: string | null;
  next_retry_at: string | null;
  retries_left: number | null;
  retries_exhausted: boolean;
}

/** The rows of each retry list (docs/design.md §2.11), on their partial indexes. */
const RETRY_LISTS: Record<RetryList, string> = {
  'awaiting-retry': 'next_retry_at IS NOT NULL',
  'retries-exhausted': 'retries_exhausted',
};

const VIEW_COLUMNS = `invoice_id, customer_id, amount_value::text AS amount_value, currency, status,
  attempts, last_failure_attempt, last_failure_reason, last_failure_message,
  last_failure_retryable, ${isoColumn('last_failed_at')}, ${isoColumn('processing_since')},
  revision, ${isoColumn('issued_at')}, ${isoColumn('updated_at')},
  to_char(due_date, 'YYYY-MM-DD') AS due_date, description, ${isoColumn('next_retry_at')},
  retries_left, retries_exhausted`;

/** The total the page request's `total` reports, from the counts the projection keeps. */
function totalSql(status: string): string {
  return `SELECT coalesce(sum(invoices), 0)::text AS total FROM invoice_status_counts
           WHERE ${status}::text IS NULL OR status = ${status}`;
}

/** Invoices from the `invoices` read model, in id order ("2" before "10"). */
export class SqlInvoiceReadModel implements InvoiceReadModel, InvoiceScan, InvoiceCounts {
  constructor(private readonly db: SqlQueryable) {}

  list(request: InvoicePageRequest): Promise<InvoicePage> {
    return this.page(request, null);
  }

  byStatus(status: InvoiceStatus, request: InvoicePageRequest): Promise<InvoicePage> {
    return this.page(request, status);
  }

  byRetry(list: RetryList, request: InvoicePageRequest): Promise<InvoicePage> {
    return this.page(request, null, list);
  }

  async retryCounts(): Promise<Record<RetryList, number>> {
    const [row] = await this.db.query<{ awaiting: string; exhausted: string }>(
      `SELECT (SELECT count(*) FROM invoices WHERE ${RETRY_LISTS['awaiting-retry']})::text AS awaiting,
              (SELECT count(*) FROM invoices WHERE ${RETRY_LISTS['retries-exhausted']})::text AS exhausted`,
    );
    return { 'awaiting-retry': Number(row.awaiting), 'retries-exhausted': Number(row.exhausted) };
  }

  async get(invoiceId: string): Promise<InvoiceView | null> {
    const [row] = await this.db.query<InvoiceRow>(
      `SELECT ${VIEW_COLUMNS} FROM invoices WHERE invoice_id = $1`,
      [invoiceId],
    );
    return row ? toView(row) : null;
  }

  async failures(invoiceId: string): Promise<FailureView[] | null> {
    const exists = await this.db.query('SELECT 1 FROM invoices WHERE invoice_id = $1', [invoiceId]);
    return exists.length === 0 ? null : findFailures(this.db, invoiceId);
  }

  scanByStatus(
    status: InvoiceStatus,
    afterInvoiceId: string | null,
    limit: number,
    upToInvoiceId: string | null = null,
  ): Promise<InvoiceSnapshot[]> {
    return this.scan(status, null, afterInvoiceId, limit, upToInvoiceId);
  }

  scanDue(
    dueBy: string,
    afterInvoiceId: string | null,
    limit: number,
    upToInvoiceId: string | null = null,
  ): Promise<InvoiceSnapshot[]> {
    return this.scan('PENDING', dueBy, afterInvoiceId, limit, upToInvoiceId);
  }

  scanRetriesDue(
    now: Date,
    afterInvoiceId: string | null,
    limit: number,
    upToInvoiceId: string | null = null,
  ): Promise<InvoiceSnapshot[]> {
    return this.scan('FAILED', null, afterInvoiceId, limit, upToInvoiceId, now);
  }

  async anyRetryDue(now: Date): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM invoices WHERE next_retry_at <= $1 AND status = 'FAILED' LIMIT 1`,
      [now.toISOString()],
    );
    return rows.length > 0;
  }

  async randomInStatus(status: InvoiceStatus): Promise<string | null> {
    // Index-only scans of (status, id_order): a count, then an offset into it.
    const [row] = await this.db.query<{ invoice_id: string }>(
      `SELECT invoice_id FROM invoices WHERE status = $1 ORDER BY id_order
        OFFSET (SELECT floor(random() * count(*))::bigint FROM invoices WHERE status = $1)
        LIMIT 1`,
      [status],
    );
    return row?.invoice_id ?? null;
  }

  async staleAttempts(drivenBefore: Date, limit: number): Promise<InvoiceRef[]> {
    const rows = await this.db.query<{ invoice_id: string; revision: bigint }>(
      `SELECT invoice_id, revision FROM invoices
        WHERE status = 'PROCESSING' AND processing_since < $1
        ORDER BY processing_since, id_order LIMIT $2`,
      [drivenBefore.toISOString(), limit],
    );
    return rows.map(toRef);
  }

  async countByStatus(): Promise<Record<InvoiceStatus, number>> {
    const rows = await this.db.query<{ status: InvoiceStatus; invoices: bigint }>(
      'SELECT status, invoices FROM invoice_status_counts',
    );
    const counts = Object.fromEntries(INVOICE_STATUSES.map((status) => [status, 0])) as Record<
      InvoiceStatus,
      number
    >;
    for (const row of rows) counts[row.status] = Number(row.invoices);
    return counts;
  }

  /**
   * By number: OFFSET, which reads every row before the page. After a cursor: a keyset
   * seek on id_order (the unique index, or (status, id_order)), as cheap at any depth.
   * `total` comes from the counts the projection keeps, never from a count(*), in the same
   * statement (one round trip, one snapshot); only an empty page asks for it apart.
   */
  private async page(
    request: InvoicePageRequest,
    status: InvoiceStatus | null,
    retryList: RetryList | null = null,
  ): Promise<InvoicePage> {
    const params: unknown[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    const conditions: string[] = [];
    // A retry list is counted on its partial index; the rest from the projection's counts.
    let totalOf: string;
    if (retryList === null) {
      const statusParam = bind(status);
      if (status !== null) conditions.push(`status = ${statusParam}`);
      totalOf = totalSql(statusParam);
    } else {
      // Every parameter bound must appear in the statement, or PostgreSQL cannot type it.
      if (status !== null) conditions.push(`status = ${bind(status)}`);
      conditions.push(RETRY_LISTS[retryList]);
      totalOf = `SELECT count(*)::text FROM invoices WHERE ${RETRY_LISTS[retryList]}`;
    }
    let size: number;
    let offset = 0;
    if (request.after === undefined) {
      ({ limit: size, offset } = pageBounds(request));
    } else {
      size = checkedSize(request.size);
      if (!isEntityId(request.after))
        throw new RangeError(`after must be an invoice id, got ${JSON.stringify(request.after)}`);
      conditions.push(`id_order > ${bind(idOrderOf(request.after))}`);
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const rows = await this.db.query<InvoiceRow & { total: string }>(
      `SELECT ${VIEW_COLUMNS}, (${totalOf}) AS total FROM invoices ${where}
        ORDER BY id_order LIMIT ${bind(size + 1)} OFFSET ${bind(offset)}`,
      params,
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total)
        : retryList === null
          ? await this.total(status)
          : (await this.retryCounts())[retryList];
    const { items, next } = withNextCursor(rows, size, (row) => row.invoice_id);
    const page = request.after === undefined ? request.page : null;
    return { items: items.map(toView), page, size, total, next };
  }

  /** Walks (status, id_order); the due date filters the rows it visits. */
  private async scan(
    status: InvoiceStatus,
    dueBy: string | null,
    afterInvoiceId: string | null,
    limit: number,
    upToInvoiceId: string | null,
    retryDueAt: Date | null = null,
  ): Promise<InvoiceSnapshot[]> {
    const rows = await this.db.query<{ invoice_id: string; revision: bigint; state: Invoice }>(
      `SELECT invoice_id, revision, state FROM invoices
        WHERE status = $1 AND id_order > $2 AND ($4::text IS NULL OR id_order <= $4)
          AND ($5::date IS NULL OR due_date IS NULL OR due_date <= $5::date)
          AND ($6::timestamptz IS NULL OR next_retry_at <= $6::timestamptz)
        ORDER BY id_order LIMIT $3`,
      [
        status,
        afterInvoiceId === null ? '' : idOrderOf(afterInvoiceId),
        limit,
        upToInvoiceId === null ? null : idOrderOf(upToInvoiceId),
        dueBy,
        retryDueAt?.toISOString() ?? null,
      ],
    );
    return rows.map((row) => ({ ...toRef(row), state: row.state }));
  }

  private async total(status: InvoiceStatus | null): Promise<number> {
    const [{ total }] = await this.db.query<{ total: string }>(totalSql('$1'), [status]);
    return Number(total);
  }
}

function toRef(row: { invoice_id: string; revision: bigint }): InvoiceRef {
  return { invoiceId: row.invoice_id, revision: BigInt(row.revision) };
}

function toView(row: InvoiceRow): InvoiceView {
  return {
    invoiceId: row.invoice_id,
    customerId: row.customer_id,
    amount: { value: row.amount_value, currency: row.currency },
    status: row.status,
    dueDate: row.due_date,
    description: row.description,
    attempts: row.attempts,
    lastFailure:
      row.last_failure_attempt === null
        ? null
        : {
            attempt: row.last_failure_attempt,
            reason: row.last_failure_reason as ChargeFailureReason,
            message: row.last_failure_message ?? '',
            retryable: row.last_failure_retryable ?? false,
            failedAt: row.last_failed_at ?? '',
          },
    processingSince: row.processing_since,
    nextRetryAt: row.next_retry_at,
    retriesLeft: row.retries_left,
    retriesExhausted: row.retries_exhausted,
    revision: BigInt(row.revision),
    issuedAt: row.issued_at,
    updatedAt: row.updated_at,
  };
}
