import type { SqlQueryable } from '../../src/database/sql-database';

/** A column of a multi-row write: its name and the SQL type its JSON value is read as. */
export type Column = readonly [name: string, type: string];

export interface UpsertSpec {
  readonly table: string;
  readonly columns: readonly Column[];
  /** The conflict target, e.g. `(invoice_id)`. */
  readonly conflict: string;
  /** `DO UPDATE SET …` assignments; omitted means DO NOTHING. */
  readonly update?: string;
}

/**
 * Writes many rows in one statement: the rows travel as one jsonb array, are unpacked by
 * jsonb_to_recordset and upserted. One round trip per batch, not one per event.
 */
export async function upsertRows(
  tx: SqlQueryable,
  spec: UpsertSpec,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = spec.columns.map(([name]) => name).join(', ');
  const types = spec.columns.map(([name, type]) => `${name} ${type}`).join(', ');
  const action = spec.update ? `DO UPDATE SET ${spec.update}` : 'DO NOTHING';
  await tx.query(
    `INSERT INTO ${spec.table} (${names})
     SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${types})
     ON CONFLICT ${spec.conflict} ${action}`,
    [JSON.stringify(rows.map(withBigIntsAsText))],
  );
}

/**
 * The row with its bigint columns (revisions, counts) as decimal text, which
 * jsonb_to_recordset reads back as bigint. Converted here rather than by a replacer
 * function, which would take JSON.stringify off V8's fast path on every batch (figures:
 * docs/benchmarks.md). Rows are flat; a bigint nested deeper would make JSON.stringify
 * throw, not vanish.
 */
function withBigIntsAsText(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') (copy ??= { ...row })[key] = value.toString();
  }
  return copy ?? row;
}

/** `a = excluded.a, b = excluded.b` for every column but the key. */
export function takeExcluded(columns: readonly Column[], key: readonly string[]): string {
  return columns
    .filter(([name]) => !key.includes(name))
    .map(([name]) => `${name} = excluded.${name}`)
    .join(', ');
}
