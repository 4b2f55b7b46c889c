import type { SqlSession } from '../../src/database/sql-database';
import type { Position } from '../../src/event-store/position';
import type { RecordedEvent } from '../../src/event-store/recorded-event';
import { advanceCheckpoint } from '../checkpoints/checkpoints';
import type { Projection, TableNames } from '../projection';

/**
 * Applies a batch in one transaction: the guarded checkpoint move first, then the rows.
 * Both commit or neither does, so a crash can never leave rows without their
 * checkpoint (events applied twice) or a checkpoint without its rows (events skipped).
 * Returns the new checkpoint.
 */
export async function projectBatch(
  session: Pick<SqlSession, 'transaction'>,
  projection: Projection,
  from: Position,
  events: readonly RecordedEvent[],
  names: TableNames,
): Promise<Position> {
  if (events.length === 0) return from;
  const to = events[events.length - 1].position;
  await session.transaction(async (tx) => {
    await advanceCheckpoint(tx, projection.name, from, to);
    await projection.apply(tx, events, names);
  });
  return to;
}
