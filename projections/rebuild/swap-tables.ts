import type { SqlQueryable } from '../../src/database/sql-database';
import type { Projection } from '../projection';

/** The suffix of the tables a rebuild fills beside the live ones: `invoices__rebuild`. */
export const REBUILD_SUFFIX = 'rebuild';

/** Drops leftovers of an interrupted rebuild and creates empty rebuild tables. */
export async function createRebuildTables(tx: SqlQueryable, projection: Projection): Promise<void> {
  for (const table of [...projection.tables].reverse())
    await tx.exec(`DROP TABLE IF EXISTS ${table}__${REBUILD_SUFFIX}`);
  await tx.exec(projection.schema((table) => `${table}__${REBUILD_SUFFIX}`));
}

/**
 * Puts the rebuilt tables in place of the live ones, inside the caller's transaction:
 * drop the live table, rename the rebuilt one, and give its indexes the live names
 * (`invoices__rebuild_stale_idx` becomes `invoices_stale_idx`).
 */
export async function swapInRebuiltTables(tx: SqlQueryable, projection: Projection): Promise<void> {
  for (const table of projection.tables) {
    const rebuilt = `${table}__${REBUILD_SUFFIX}`;
    await tx.exec(`DROP TABLE ${table}; ALTER TABLE ${rebuilt} RENAME TO ${table}`);
    const indexes = await tx.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`,
      [table],
    );
    for (const { indexname } of indexes) {
      if (!indexname.startsWith(rebuilt)) continue;
      await tx.exec(
        `ALTER INDEX ${indexname} RENAME TO ${table}${indexname.slice(rebuilt.length)}`,
      );
    }
  }
}
