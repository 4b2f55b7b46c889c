import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AppendResult } from '../event-store/event-store.port';
import { BILLING_CLOCK, type BillingClock } from './billing-clock';
import { BILLING_TUNING, type BillingTuning } from './billing-tuning';
import { ConcurrentWritesError } from './concurrent-writes.error';
import type { DecideContext, DomainError, RetryPolicy } from './domain';
import { retryPolicyOf } from './retry-policy-of';
import { eventMetadata, type EventMetadata, type WriteCause } from './store/event-metadata';
import { isWriteConflict } from './store/is-write-conflict';
import type { DomainEvent, StreamDecider } from './store/stream-decider';
import {
  evolveAll,
  StreamRepository,
  type LoadedStream,
  type StreamAfterRequest,
} from './store/stream-repository';

export type { WriteCause } from './store/event-metadata';

export type ExecuteResult<S, E, Code extends string> =
  | {
      readonly ok: true;
      /** The state after the events: what the stream folds to now. */
      readonly state: S;
      /** What was appended; none when the stream already held what the command asks for. */
      readonly events: readonly E[];
      /** The append; null when there was nothing to append. */
      readonly result: AppendResult | null;
      /** The stream as the decision saw it. */
      readonly loaded: LoadedStream<S>;
      /**
       * The keyed request had already written its events here (a re-run after a crash):
       * `state` is the stream as that request left it, and nothing was decided again.
       */
      readonly doneBefore?: true;
    }
  | { readonly ok: false; readonly error: DomainError<Code>; readonly loaded: LoadedStream<S> };

/**
 * The one write path for every stream: read the stream, fold it, decide, append at the
 * revision read; when another writer got there first, read and decide again (bounded).
 * The domain sees every fact the other writer added, so a retry can never act on a stale
 * view: this is how a claim stays exclusive and a create stays single.
 *
 * A keyed request (`cause.requestId`) whose events the stream already holds was done
 * before (its answer was lost in a crash, or it ran twice at once): it is answered from
 * the stream as that request left it, and nothing is decided again (docs/design.md §2.8).
 */
@Injectable()
export class CommandExecutor {
  /** Decided with every command: a failure appends what it says (docs/design.md §2.11). */
  readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly streams: StreamRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
    @Inject(BILLING_TUNING) private readonly tuning: BillingTuning,
  ) {
    this.retryPolicy = retryPolicyOf(config.billing);
  }

  context(): DecideContext {
    return {
      now: this.clock.now().toISOString(),
      instanceId: this.config.instanceId,
      retryPolicy: this.retryPolicy,
    };
  }

  /** The metadata of one write request by this instance (see eventMetadata). */
  metadata(cause: WriteCause): EventMetadata {
    return eventMetadata(this.config.instanceId, cause);
  }

  async execute<C, S, E extends DomainEvent, Code extends string>(
    decider: StreamDecider<C, S, E, Code>,
    command: C,
    cause: WriteCause,
    loaded?: LoadedStream<S>,
  ): Promise<ExecuteResult<S, E, Code>> {
    const id = decider.idOf(command);
    let current = loaded ?? (await this.streams.load(decider, id, cause.requestId));
    for (let attempt = 1; ; attempt++) {
      if (current.doneByRequest) return alreadyDone(current, current.doneByRequest);
      const decision = decider.decide(command, current.state, this.context());
      if (!decision.ok) return { ok: false, error: decision.error, loaded: current };
      const { events } = decision;
      if (events.length === 0) {
        return { ok: true, state: current.state, events, result: null, loaded: current };
      }
      const request = this.streams.appendRequest(
        decider,
        id,
        events,
        current.revision,
        this.metadata(cause),
      );
      try {
        const result = await this.streams.append(request);
        const state = evolveAll(decider, current.state, events);
        return { ok: true, state, events, result, loaded: current };
      } catch (error) {
        if (!isWriteConflict(error)) throw error;
        if (attempt > this.tuning.conflictRetries) {
          throw new ConcurrentWritesError(decider.streamName(id), attempt);
        }
      }
      current = await this.streams.load(decider, id, cause.requestId);
    }
  }
}

function alreadyDone<S, E, Code extends string>(
  loaded: LoadedStream<S>,
  { state, revision, position }: StreamAfterRequest<S>,
): ExecuteResult<S, E, Code> {
  const result = { nextExpectedRevision: revision, position };
  return { ok: true, state, events: [], result, loaded, doneBefore: true };
}
