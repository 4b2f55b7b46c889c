import type { SqlQueryable } from '../../src/database/sql-database';
import type { Column } from './upsert-rows';

export interface RowsByKeySpec {
  readonly table: string;
  /** The columns to read, as a select list of the table's (aliased `t`). */
  readonly columns: string;
  /** The table's primary key: each key names at most one row. */
  readonly key: readonly Column[];
}

/**
 * The rows of the given keys, each key one probe of the primary key, whatever the
 * planner knows of the table. `= ANY` of a batch of keys, or a join with the keys as a
 * record set, is planned from the table's statistics, and a read model has none while it
 * fills for the first time (a first run, a rebuild) or stale ones after a bulk change:
 * a batch of keys then looks like most of the table, and becomes a sequential scan. A
 * LATERAL subquery with a LIMIT is never pulled up into a join, so the plan is one
 * index probe per key (figures: docs/benchmarks.md). `keys` holds one array of values
 * per key column.
 */
export async function rowsByKey<Row>(
  tx: SqlQueryable,
  spec: RowsByKeySpec,
  keys: readonly (readonly unknown[])[],
): Promise<Row[]> {
  if (keys.length === 0 || keys[0].length === 0) return [];
  const arrays = spec.key.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const names = spec.key.map(([name]) => name);
  const match = names.map((name) => `t.${name} = k.${name}`).join(' AND ');
  return tx.query<Row>(
    `SELECT r.* FROM unnest(${arrays}) AS k(${names.join(', ')})
     CROSS JOIN LATERAL (SELECT ${spec.columns} FROM ${spec.table} t WHERE ${match} LIMIT 1) r`,
    keys,
  );
}
