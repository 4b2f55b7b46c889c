import {
  evolveInvoice,
  initialInvoiceState,
  type InvoiceState,
  type InvoiceStatus,
} from '../../src/billing/domain';
import type { SqlQueryable } from '../../src/database/sql-database';
import type { RecordedEvent } from '../../src/event-store/recorded-event';
import { groupByInvoice, invoiceEventsOf, type RecordedInvoiceEvent } from '../invoice-events-of';
import type { Projection } from '../projection';
import { ProjectionEventError } from '../projection-event.error';
import { rowsByKey } from '../sql/rows-by-key';
import { takeExcluded, upsertRows } from '../sql/upsert-rows';
import { addStatusCounts, statusDeltas, type StatusMove } from './add-status-counts';
import { INVOICE_COLUMNS, toInvoiceRow } from './invoice-row';
import { invoiceStatusCountsSchema } from './invoice-status-counts.schema';
import { invoicesSchema } from './invoices.schema';

interface Folded {
  readonly state: InvoiceState;
  readonly revision: bigint;
  readonly updatedAt: Date | null;
}

/**
 * Invoices folded with the domain's evolveInvoice: the status is the domain's, so a
 * late ChargeFailed can never move a PAID invoice. Per batch: one read of the touched
 * invoices' states, the fold in memory, one multi-row upsert, and one upsert of the
 * status counts' deltas (old status to new, per touched invoice).
 */
export const invoicesProjection: Projection = {
  name: 'invoices',
  tables: ['invoices', 'invoice_status_counts'],
  schema: (names) => invoicesSchema(names) + invoiceStatusCountsSchema(names),
  async apply(tx, events, names) {
    const groups = groupByInvoice(invoiceEventsOf(events));
    if (groups.size === 0) return;
    const table = names('invoices');
    const stored = await loadStates(tx, table, [...groups.keys()]);
    const rows: Record<string, unknown>[] = [];
    const moves: StatusMove[] = [];
    for (const [invoiceId, group] of groups) {
      const before = stored.get(invoiceId);
      const folded = fold(before, group);
      moves.push({ from: statusOf(before?.state), to: statusOf(folded.state) });
      if (folded.state.exists && folded.updatedAt)
        rows.push(toInvoiceRow(folded.state, folded.revision, folded.updatedAt));
    }
    await upsertRows(
      tx,
      {
        table,
        columns: INVOICE_COLUMNS,
        conflict: '(invoice_id)',
        update: takeExcluded(INVOICE_COLUMNS, ['invoice_id']),
      },
      rows,
    );
    await addStatusCounts(tx, names('invoice_status_counts'), statusDeltas(moves));
  },
};

function statusOf(state: InvoiceState | undefined): InvoiceStatus | null {
  return state?.exists ? state.status : null;
}

function fold(from: Folded | undefined, events: readonly RecordedInvoiceEvent[]): Folded {
  let folded: Folded = from ?? { state: initialInvoiceState, revision: -1n, updatedAt: null };
  for (const { recorded, event } of events) {
    // The row already reflects this revision (the stream's own order guards replays).
    if (recorded.revision <= folded.revision) continue;
    folded = {
      state: evolveOrExplain(folded.state, event, recorded),
      revision: recorded.revision,
      updatedAt: recorded.createdAt,
    };
  }
  return folded;
}

function evolveOrExplain(
  state: InvoiceState,
  event: RecordedInvoiceEvent['event'],
  recorded: RecordedEvent,
): InvoiceState {
  try {
    return evolveInvoice(state, event);
  } catch (error) {
    throw new ProjectionEventError('invoices', recorded, error);
  }
}

async function loadStates(
  tx: SqlQueryable,
  table: string,
  invoiceIds: readonly string[],
): Promise<Map<string, Folded>> {
  const rows = await rowsByKey<{ invoice_id: string; revision: bigint; state: InvoiceState }>(
    tx,
    { table, columns: 't.invoice_id, t.revision, t.state', key: [['invoice_id', 'text']] },
    [invoiceIds],
  );
  return new Map(
    rows.map((row) => [
      row.invoice_id,
      { state: row.state, revision: BigInt(row.revision), updatedAt: null },
    ]),
  );
}
