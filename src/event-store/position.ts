/**
 * A place in the global log, ordered by `commit` then `prepare`, as EventStoreDB's
 * `$all` positions are. Projections store it as their checkpoint.
 *
 * On PostgreSQL `commit` is the appending transaction's 64-bit id and `prepare` the
 * event's global sequence number. Ordering by transaction id lets a reader stop below
 * the oldest transaction still in flight and never skip an event that commits late
 * (see docs/event-store.md).
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** Before the first event: reading after START reads everything. */
export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

export function comparePositions(a: Position, b: Position): -1 | 0 | 1 {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function formatPosition(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}
