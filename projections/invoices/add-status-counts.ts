import type { InvoiceStatus } from '../../src/billing/domain';
import type { SqlQueryable } from '../../src/database/sql-database';
import { upsertRows } from '../sql/upsert-rows';

/** An invoice's status before and after a batch; null: it did not exist. */
export interface StatusMove {
  readonly from: InvoiceStatus | null;
  readonly to: InvoiceStatus | null;
}

/** The net change of each status's count over `moves`, zeros left out. */
export function statusDeltas(moves: Iterable<StatusMove>): Map<InvoiceStatus, number> {
  const deltas = new Map<InvoiceStatus, number>();
  const add = (status: InvoiceStatus | null, by: number): void => {
    if (status !== null) deltas.set(status, (deltas.get(status) ?? 0) + by);
  };
  for (const { from, to } of moves) {
    if (from === to) continue;
    add(from, -1);
    add(to, 1);
  }
  for (const [status, delta] of deltas) if (delta === 0) deltas.delete(status);
  return deltas;
}

/** Adds the deltas to `table` (invoice_status_counts) in one statement. */
export async function addStatusCounts(
  tx: SqlQueryable,
  table: string,
  deltas: ReadonlyMap<InvoiceStatus, number>,
): Promise<void> {
  await upsertRows(
    tx,
    {
      table,
      columns: [
        ['status', 'text'],
        ['invoices', 'bigint'],
      ],
      conflict: '(status)',
      update: `invoices = ${table}.invoices + excluded.invoices`,
    },
    [...deltas].map(([status, invoices]) => ({ status, invoices })),
  );
}
