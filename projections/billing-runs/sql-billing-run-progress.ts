import type { SqlQueryable } from '../../src/database/sql-database';
import type {
  BillingRunProgress,
  BillingRunProgressView,
} from '../../src/billing/engine/billing-read-model.port';

/** A run's counts as billing_run_counts keeps them (none yet: zeros). */
export interface RunCountsRow {
  processing: number;
  paid: number;
  failed: number;
  unknown: number;
}

export const RUN_COUNTS_COLUMNS = `coalesce(c.processing, 0) AS processing, coalesce(c.paid, 0) AS paid,
         coalesce(c.failed, 0) AS failed, coalesce(c.unknown, 0) AS unknown`;

interface ProgressRow extends RunCountsRow {
  run_id: string;
  status: BillingRunProgressView['status'];
}

/**
 * Two keyed rows, not the REST view's sum of the money collected (a join of every attempt
 * of the run with its invoice): the engine, the run watcher and the CLI's progress line
 * ask this every half second to every few seconds while a run bills, and that sum grows
 * with the run (docs/benchmarks.md, Concurrency).
 */
const SELECT_PROGRESS = `
  SELECT r.run_id, r.status, ${RUN_COUNTS_COLUMNS}
    FROM billing_runs r LEFT JOIN billing_run_counts c ON c.run_id = r.run_id`;

/** The billing engine's view of its runs (BillingRunProgress), on the billing-runs tables. */
export class SqlBillingRunProgress implements BillingRunProgress {
  constructor(private readonly db: SqlQueryable) {}

  async get(runId: string): Promise<BillingRunProgressView | null> {
    const [row] = await this.db.query<ProgressRow>(`${SELECT_PROGRESS} WHERE r.run_id = $1`, [
      runId,
    ]);
    return row ? toView(row) : null;
  }

  async running(): Promise<BillingRunProgressView[]> {
    const rows = await this.db.query<ProgressRow>(
      `${SELECT_PROGRESS} WHERE r.status = 'RUNNING' ORDER BY r.started_at, r.run_id`,
    );
    return rows.map(toView);
  }
}

function toView(row: ProgressRow): BillingRunProgressView {
  return { runId: row.run_id, status: row.status, counts: runCountsOf(row) };
}

export function runCountsOf(row: RunCountsRow): BillingRunProgressView['counts'] {
  return {
    processing: Number(row.processing),
    paid: Number(row.paid),
    failed: Number(row.failed),
    unknown: Number(row.unknown),
  };
}
