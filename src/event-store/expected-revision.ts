/**
 * What the writer believes about a stream when it appends, as in EventStoreDB:
 * - `no_stream`: the stream has no events yet;
 * - `stream_exists`: the stream has at least one event;
 * - `any`: no check;
 * - a bigint: the revision of the stream's last event (the first event is revision 0).
 *
 * An exact revision is the double-charge lock: of many writers that saw an invoice at
 * revision N, only one can append at N.
 */
export const NO_STREAM = 'no_stream';
export const STREAM_EXISTS = 'stream_exists';
export const ANY = 'any';

export type ExpectedRevision = typeof NO_STREAM | typeof STREAM_EXISTS | typeof ANY | bigint;

/** A stream's current revision; `no_stream` when it has no events. */
export type CurrentRevision = typeof NO_STREAM | bigint;

export function describeRevision(revision: ExpectedRevision): string {
  return typeof revision === 'bigint' ? revision.toString() : revision;
}

/** Whether a stream at `current` satisfies `expected`. */
export function satisfies(expected: ExpectedRevision, current: CurrentRevision): boolean {
  if (expected === ANY) return true;
  if (expected === NO_STREAM) return current === NO_STREAM;
  if (expected === STREAM_EXISTS) return current !== NO_STREAM;
  return current === expected;
}
