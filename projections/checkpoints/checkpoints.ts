import type { SqlQueryable } from '../../src/database/sql-database';
import { START, type Position } from '../../src/event-store/position';
import { CheckpointMismatchError } from './checkpoint-mismatch.error';

interface CheckpointRow {
  commit_position: bigint;
  prepare_position: bigint;
}

/** The projection's checkpoint; creates it at START (-1/-1) the first time. */
export async function readCheckpoint(db: SqlQueryable, name: string): Promise<Position> {
  await db.query(
    `INSERT INTO projection_checkpoints (name, commit_position, prepare_position)
     VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
    [name, START.commit.toString(), START.prepare.toString()],
  );
  return (await findCheckpoint(db, name)) ?? START;
}

export async function findCheckpoint(db: SqlQueryable, name: string): Promise<Position | null> {
  const [row] = await db.query<CheckpointRow>(
    'SELECT commit_position, prepare_position FROM projection_checkpoints WHERE name = $1',
    [name],
  );
  return row
    ? { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) }
    : null;
}

/**
 * Moves the checkpoint from `from` to `to`, only if it is still at `from`. Run it first
 * in the batch's transaction: its row lock then serialises two projectors that both
 * believe they hold the lease, and the second finds the checkpoint moved and throws.
 */
export async function advanceCheckpoint(
  tx: SqlQueryable,
  name: string,
  from: Position,
  to: Position,
): Promise<void> {
  const moved = await tx.query(
    `UPDATE projection_checkpoints
        SET commit_position = $4, prepare_position = $5, updated_at = now()
      WHERE name = $1 AND commit_position = $2 AND prepare_position = $3
      RETURNING name`,
    [
      name,
      from.commit.toString(),
      from.prepare.toString(),
      to.commit.toString(),
      to.prepare.toString(),
    ],
  );
  if (moved.length === 0) {
    throw new CheckpointMismatchError(name, from, await findCheckpoint(tx, name));
  }
}

/** Sets the checkpoint unconditionally: only for a rebuild's swap, under the lease. */
export async function setCheckpoint(tx: SqlQueryable, name: string, to: Position): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (name, commit_position, prepare_position)
     VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE
       SET commit_position = excluded.commit_position,
           prepare_position = excluded.prepare_position, updated_at = now()`,
    [name, to.commit.toString(), to.prepare.toString()],
  );
}
