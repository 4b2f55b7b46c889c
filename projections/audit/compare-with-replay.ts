import type { SqlDatabase } from '../../src/database/sql-database';
import type { EventStore } from '../../src/event-store/event-store.port';
import { comparePositions, START, type Position } from '../../src/event-store/position';
import { findCheckpoint } from '../checkpoints/checkpoints';
import { AUDITED_TABLES, type AuditedTables, type KeyedRows } from './audited-rows';
import { ReplayedLog } from './replayed-log';

export interface RowDifference {
  readonly key: string;
  /** null: the row is missing from that side. */
  readonly expected: string | null;
  readonly actual: string | null;
}

export interface AuditReport {
  readonly projection: string;
  readonly checkpoint: Position;
  readonly rows: number;
  readonly ok: boolean;
  /** The first differences (at most `maxDifferences`). */
  readonly differences: readonly RowDifference[];
  readonly differenceCount: number;
}

interface Snapshot {
  readonly tables: AuditedTables;
  readonly checkpoint: Position;
  readonly rows: KeyedRows;
}

/**
 * Invariant 5, checked: folds every stream of the log with the domain and compares the
 * result with each read model's rows as of that read model's checkpoint. Rows and
 * checkpoints are read in one REPEATABLE READ snapshot (they commit together), so the
 * projectors keep running while the audit replays.
 */
export async function compareWithReplay(
  db: SqlDatabase,
  store: EventStore,
  options: { readonly maxDifferences?: number; readonly batchSize?: number } = {},
): Promise<AuditReport[]> {
  const pending = (await snapshot(db)).sort((a, b) => comparePositions(a.checkpoint, b.checkpoint));
  const reports: AuditReport[] = [];
  const replay = new ReplayedLog();
  const compareNext = (): void => {
    const next = pending.shift() as Snapshot;
    reports.push(compare(next, next.tables.expected(replay), options.maxDifferences ?? 20));
  };
  let after = START;
  while (pending.length > 0) {
    const batch = await store.readAll({ after, limit: options.batchSize ?? 1000 });
    for (const event of batch) {
      while (pending.length > 0 && comparePositions(event.position, pending[0].checkpoint) > 0)
        compareNext();
      replay.apply([event]);
    }
    if (batch.length === 0) while (pending.length > 0) compareNext();
    else after = batch[batch.length - 1].position;
  }
  return reports.sort((a, b) => a.projection.localeCompare(b.projection));
}

async function snapshot(db: SqlDatabase): Promise<Snapshot[]> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const snapshots: Snapshot[] = [];
    for (const tables of AUDITED_TABLES) {
      const checkpoint = (await findCheckpoint(tx, tables.projection)) ?? START;
      snapshots.push({ tables, checkpoint, rows: await tables.actual(tx) });
    }
    return snapshots;
  });
}

function compare(snapshot: Snapshot, expected: KeyedRows, max: number): AuditReport {
  const differences: RowDifference[] = [];
  let count = 0;
  const note = (key: string, want: string | null, got: string | null): void => {
    count += 1;
    if (differences.length < max) differences.push({ key, expected: want, actual: got });
  };
  for (const [key, want] of expected) {
    const got = snapshot.rows.get(key) ?? null;
    if (got !== want) note(key, want, got);
  }
  for (const [key, got] of snapshot.rows) if (!expected.has(key)) note(key, null, got);
  return {
    projection: snapshot.tables.projection,
    checkpoint: snapshot.checkpoint,
    rows: snapshot.rows.size,
    ok: count === 0,
    differences,
    differenceCount: count,
  };
}
