import type { Position } from '../../event-store/position';
import type { ExecuteResult } from '../command-executor';

/**
 * What a create produced: `created` false when the stream already held the same facts
 * (a repeat; the REST layer answers 200 instead of 201). The revision and position
 * are where the entity stands, so a client can wait for the read side to show it.
 */
export interface CreateResult<S> {
  readonly created: boolean;
  readonly state: S;
  readonly revision: bigint;
  readonly position: Position;
}

/** The accepted outcome of a create as its result; throws if the stream is still empty. */
export function toCreateResult<S>(
  outcome: Extract<ExecuteResult<S, unknown, string>, { ok: true }>,
): CreateResult<S> {
  const revision = outcome.result?.nextExpectedRevision ?? outcome.loaded.revision;
  const position = outcome.result?.position ?? outcome.loaded.position;
  if (revision === 'no_stream' || position === null) {
    throw new Error('a create that appended nothing found no stream');
  }
  // A re-run of the keyed request that created it answers as that request did: created.
  const created = outcome.events.length > 0 || outcome.doneBefore === true;
  return { created, state: outcome.state, revision, position };
}
