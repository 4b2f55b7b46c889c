import type { SqlDatabase, SqlQueryable } from '../../src/database/sql-database';
import type { EventStore } from '../../src/event-store/event-store.port';
import { START, type Position } from '../../src/event-store/position';
import type { RecordedEvent } from '../../src/event-store/recorded-event';
import { projectionsNamed } from '../all-projections';
import { setCheckpoint } from '../checkpoints/checkpoints';
import { suffixedTables, type Projection } from '../projection';
import { holdLeases } from './hold-leases';
import { createRebuildTables, REBUILD_SUFFIX, swapInRebuiltTables } from './swap-tables';

export interface RebuildProgress {
  readonly phase: 'replaying' | 'catching-up' | 'swapped';
  readonly done: number;
  /** Events in the log when the rebuild started (grows with `done`); null when unknown. */
  readonly total: number | null;
}

export interface RebuildOptions {
  readonly batchSize?: number;
  /** How long to wait for the live projectors to yield their leases. */
  readonly leaseTimeoutMs?: number;
}

export interface RebuildResult {
  readonly projections: readonly string[];
  readonly events: number;
  readonly checkpoint: Position;
}

const rebuildTables = suffixedTables(REBUILD_SUFFIX);

/**
 * Blue/green rebuild: replays the whole log into tables beside the live ones while the
 * live projectors keep serving, then takes their leases (they yield), applies the last
 * events, and in one short transaction swaps the tables and sets the checkpoints. The
 * projectors take their leases back and continue from there.
 */
export async function rebuildProjections(
  db: SqlDatabase,
  store: EventStore,
  names?: readonly string[],
  onProgress: (progress: RebuildProgress) => void = () => undefined,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const projections = projectionsNamed(names);
  const batchSize = options.batchSize ?? 1000;
  await db.transaction(async (tx) => {
    for (const projection of projections) await createRebuildTables(tx, projection);
  });
  let total = await countEvents(db);
  let done = 0;
  let after = START;
  const replay = async (
    session: Pick<SqlDatabase, 'transaction'>,
    phase: RebuildProgress['phase'],
  ): Promise<void> => {
    for (;;) {
      const batch = await store.readAll({ after, limit: batchSize });
      if (batch.length === 0) return;
      await session.transaction((tx) => applyAll(tx, projections, batch));
      after = batch[batch.length - 1].position;
      done += batch.length;
      total = total === null ? null : Math.max(total, done);
      onProgress({ phase, done, total });
    }
  };
  await replay(db, 'replaying');
  const locks = await holdLeases(
    db,
    projections.map((projection) => projection.name),
    { timeoutMs: options.leaseTimeoutMs },
  );
  try {
    await replay(locks.session, 'catching-up');
    // Events appended from here on lie after the new checkpoint: the projectors take them.
    // (No read inside the swap: on PGlite the store shares the one backend it holds.)
    await locks.session.transaction(async (tx) => {
      for (const projection of projections) {
        await swapInRebuiltTables(tx, projection);
        await setCheckpoint(tx, projection.name, after);
      }
    });
  } finally {
    await locks.close();
  }
  onProgress({ phase: 'swapped', done, total: total === null ? null : Math.max(total, done) });
  return {
    projections: projections.map((projection) => projection.name),
    events: done,
    checkpoint: after,
  };
}

async function applyAll(
  tx: SqlQueryable,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
): Promise<void> {
  for (const projection of projections) await projection.apply(tx, events, rebuildTables);
}

/** The size of the log, when it lives in this database (not with EventStoreDB). */
async function countEvents(db: SqlDatabase): Promise<number | null> {
  const [{ present }] = await db.query<{ present: boolean }>(
    `SELECT to_regclass('events') IS NOT NULL AS present`,
  );
  if (!present) return null;
  const [{ count }] = await db.query<{ count: bigint }>('SELECT count(*) AS count FROM events');
  return Number(count);
}
