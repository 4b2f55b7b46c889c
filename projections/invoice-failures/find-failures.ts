import type {
  ChargeFailureReason,
  RetryStep,
  UnknownOutcomeReason,
} from '../../src/billing/domain';
import type { SqlQueryable } from '../../src/database/sql-database';
import type { FailureView } from '../../src/api/read-models/invoice-read-model.port';
import { isoOf } from '../sql/paging';

/** An invoice's failure history, oldest first ([] when it never failed). */
export async function findFailures(db: SqlQueryable, invoiceId: string): Promise<FailureView[]> {
  const rows = await db.query<{
    attempt: number;
    reason: ChargeFailureReason | UnknownOutcomeReason;
    message: string;
    retryable: boolean;
    failed_at: Date;
    retry: number | null;
    then: RetryStep | null;
  }>(
    // What was scheduled after each attempt is on the attempt in the invoice's folded state.
    `SELECT f.attempt, f.reason, f.message, f.retryable, f.failed_at,
            (i.state->'attempts'->(f.attempt - 1)->>'retry')::integer AS retry,
            i.state->'attempts'->(f.attempt - 1)->'scheduledAfter' AS then
       FROM invoice_failures f LEFT JOIN invoices i ON i.invoice_id = f.invoice_id
      WHERE f.invoice_id = $1 ORDER BY f.revision`,
    [invoiceId],
  );
  return rows.map((row) => ({
    attempt: row.attempt,
    reason: row.reason,
    message: row.message,
    retryable: row.retryable,
    failedAt: isoOf(row.failed_at) ?? '',
    retry: row.retry ?? 0,
    then: row.then ?? null,
  }));
}
