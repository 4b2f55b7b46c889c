import type { SqlQueryable } from '../../src/database/sql-database';
import type {
  BillingRunReadModel,
  BillingRunView,
} from '../../src/api/read-models/billing-run-read-model.port';
import type { Money } from '../../src/shared/money';
import type { Page, PageRequest } from '../../src/shared/page';
import { isoOf, pageBounds, toPage } from '../sql/paging';
import { RUN_COUNTS_COLUMNS, runCountsOf, type RunCountsRow } from './sql-billing-run-progress';

interface RunRow extends RunCountsRow {
  run_id: string;
  period: string | null;
  trigger: BillingRunView['trigger'];
  status: BillingRunView['status'];
  started_at: Date;
  completed_at: Date | null;
  collected: Money[] | string;
}

const SELECT_RUNS = `
  SELECT r.run_id, r.period, r.trigger, r.status, r.started_at, r.completed_at,
         ${RUN_COUNTS_COLUMNS},
         (SELECT coalesce(json_agg(json_build_object('value', s.total::text, 'currency', s.currency)
                                   ORDER BY s.currency), '[]'::json)
            FROM (SELECT i.currency, sum(i.amount_value) AS total
                    FROM billing_run_attempts a JOIN invoices i ON i.invoice_id = a.invoice_id
                   WHERE a.run_id = r.run_id AND (a.provider_said = 'PAID' OR a.resolved_as = 'PAID')
                   GROUP BY i.currency) s) AS collected
    FROM billing_runs r LEFT JOIN billing_run_counts c ON c.run_id = r.run_id`;

/** The REST views of the runs (the engine's lean view: SqlBillingRunProgress). */
export class SqlBillingRunReadModel implements BillingRunReadModel {
  constructor(private readonly db: SqlQueryable) {}

  async list(page: PageRequest): Promise<Page<BillingRunView>> {
    const { limit, offset } = pageBounds(page);
    const [rows, [{ total }]] = await Promise.all([
      this.db.query<RunRow>(
        `${SELECT_RUNS} ORDER BY r.started_at DESC, r.run_id DESC LIMIT $1 OFFSET $2`,
        [limit, offset],
      ),
      this.db.query<{ total: bigint }>('SELECT count(*) AS total FROM billing_runs'),
    ]);
    return toPage(page, rows.map(toView), Number(total));
  }

  async get(runId: string): Promise<BillingRunView | null> {
    const [row] = await this.db.query<RunRow>(`${SELECT_RUNS} WHERE r.run_id = $1`, [runId]);
    return row ? toView(row) : null;
  }
}

function toView(row: RunRow): BillingRunView {
  return {
    runId: row.run_id,
    period: row.period,
    trigger: row.trigger,
    status: row.status,
    startedAt: isoOf(row.started_at) ?? '',
    completedAt: isoOf(row.completed_at),
    counts: runCountsOf(row),
    // The attempts' run and the invoices' amounts live in two projections: the sum can
    // trail the counts by the invoices projection's lag.
    collected:
      typeof row.collected === 'string' ? (JSON.parse(row.collected) as Money[]) : row.collected,
  };
}
