import type { SqlQueryable } from '../src/database/sql-database';
import type { RecordedEvent } from '../src/event-store/recorded-event';

/**
 * Maps a projection's table names to the physical tables it writes: the live tables, or
 * the tables a rebuild fills beside them (`invoices__rebuild`).
 */
export type TableNames = (table: string) => string;

export const LIVE_TABLES: TableNames = (table) => table;

export function suffixedTables(suffix: string): TableNames {
  return (table) => `${table}__${suffix}`;
}

/**
 * One read model fed from the log. `apply` gets a batch of consecutive events of the
 * whole log (unfiltered: it ignores what it does not need) and writes its rows inside
 * the caller's transaction, which also moves the checkpoint.
 */
export interface Projection {
  /** The checkpoint's and the lease's name. */
  readonly name: string;
  /** The tables it owns, in creation order. */
  readonly tables: readonly string[];
  /**
   * The DDL of its tables and indexes under `names`. Index names must start with their
   * table's name, so a rebuild can rename `invoices__rebuild_x` to `invoices_x`.
   */
  schema(names: TableNames): string;
  apply(tx: SqlQueryable, events: readonly RecordedEvent[], names: TableNames): Promise<void>;
}
