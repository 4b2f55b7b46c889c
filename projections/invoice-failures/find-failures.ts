import type { ChargeFailureReason, UnknownOutcomeReason } from '../../src/billing/domain';
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
  }>(
    `SELECT attempt, reason, message, retryable, failed_at FROM invoice_failures
      WHERE invoice_id = $1 ORDER BY revision`,
    [invoiceId],
  );
  return rows.map((row) => ({
    attempt: row.attempt,
    reason: row.reason,
    message: row.message,
    retryable: row.retryable,
    failedAt: isoOf(row.failed_at) ?? '',
  }));
}
