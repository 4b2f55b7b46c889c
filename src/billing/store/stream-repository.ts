import { Inject, Injectable } from '@nestjs/common';
import type { EventData, JsonObject } from '../../event-store/event-data';
import type {
  AppendAllResult,
  AppendRequest,
  AppendResult,
  BatchAppendResult,
  EventStore,
} from '../../event-store/event-store.port';
import { EVENT_STORE } from '../../event-store/event-store.port';
import { NO_STREAM, type CurrentRevision } from '../../event-store/expected-revision';
import type { Position } from '../../event-store/position';
import type { RecordedEvent } from '../../event-store/recorded-event';
import { requestIdOf, toJsonMetadata, type EventMetadata } from './event-metadata';
import type { DomainEvent, StreamDecider } from './stream-decider';

/** A stream folded into domain state, and where that stream stands. */
export interface LoadedStream<State> {
  readonly id: string;
  readonly state: State;
  /** The revision of the last event read: the expected revision of the next append. */
  readonly revision: CurrentRevision;
  /** The global position of the last event read; null for a missing stream. */
  readonly position: Position | null;
  /** The global position of the stream's first event; null for a missing stream. */
  readonly firstPosition: Position | null;
  /**
   * Set when loaded for a keyed request whose events the stream already holds (a re-run
   * after a crash, or two runs at once): the stream as that request left it.
   */
  readonly doneByRequest?: StreamAfterRequest<State>;
}

/** A stream right after the last event a keyed request wrote: that request's answer. */
export interface StreamAfterRequest<State> {
  readonly state: State;
  readonly revision: bigint;
  readonly position: Position;
}

/** A stream to load: its decider, its id and, for a keyed request, the request's id. */
export interface StreamToLoad<S, E extends DomainEvent> {
  readonly decider: StreamDecider<unknown, S, E, string>;
  readonly id: string;
  readonly requestId?: string;
}

/** Reads any stream through its decider, and turns decided events into appends. */
@Injectable()
export class StreamRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** `requestId`: a keyed request's id, to learn whether it already wrote here. */
  async load<S, E extends DomainEvent>(
    decider: StreamDecider<unknown, S, E, string>,
    id: string,
    requestId?: string,
  ): Promise<LoadedStream<S>> {
    const recorded = await this.store.readStream(decider.streamName(id));
    return foldStream(decider, id, recorded, requestId);
  }

  /**
   * Many streams in one read of the store. Each entry is the stream's state, or the error
   * its stream gave (a corrupt stream must not hide the others).
   */
  async loadMany<S, E extends DomainEvent>(
    decider: StreamDecider<unknown, S, E, string>,
    ids: readonly string[],
    requestId?: string,
  ): Promise<(LoadedStream<S> | Error)[]> {
    const names = ids.map((id) => decider.streamName(id));
    const read = await this.store.readStreams(names);
    return ids.map((id, i) => {
      try {
        return foldStream(decider, id, read.get(names[i]) ?? [], requestId);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  /**
   * Two streams of different kinds in one read of the store (one round trip on
   * PostgreSQL): a command that decides on one stream with facts from another.
   */
  async loadBoth<S1, E1 extends DomainEvent, S2, E2 extends DomainEvent>(
    first: StreamToLoad<S1, E1>,
    second: StreamToLoad<S2, E2>,
  ): Promise<[LoadedStream<S1>, LoadedStream<S2>]> {
    const names = [first.decider.streamName(first.id), second.decider.streamName(second.id)];
    const read = await this.store.readStreams(names);
    return [
      foldStream(first.decider, first.id, read.get(names[0]) ?? [], first.requestId),
      foldStream(second.decider, second.id, read.get(names[1]) ?? [], second.requestId),
    ];
  }

  /**
   * The append of `events` right after `revision`: the expected revision is the lock,
   * the ids are named by the facts (a retry of this same request is idempotent).
   */
  appendRequest<E extends DomainEvent>(
    decider: StreamDecider<unknown, unknown, E, string>,
    id: string,
    events: readonly E[],
    revision: CurrentRevision,
    metadata: EventMetadata,
  ): AppendRequest {
    const first = revision === NO_STREAM ? 0n : revision + 1n;
    return {
      stream: decider.streamName(id),
      events: events.map((event, i) =>
        toEventData(decider, id, event, first + BigInt(i), metadata),
      ),
      expectedRevision: revision,
    };
  }

  append(request: AppendRequest): Promise<AppendResult> {
    return this.store.append(request.stream, request.events, request.expectedRevision);
  }

  appendMany(requests: readonly AppendRequest[]): Promise<BatchAppendResult[]> {
    return this.store.appendMany(requests);
  }

  appendAll(requests: readonly AppendRequest[]): Promise<AppendAllResult> {
    return this.store.appendAll(requests);
  }
}

/** A domain event as the store appends it, landing at `revision` of stream `id`. */
export function toEventData<E extends DomainEvent>(
  decider: StreamDecider<unknown, unknown, E, string>,
  id: string,
  event: E,
  revision: bigint,
  metadata: EventMetadata,
): EventData {
  return {
    id: decider.eventId(event, id, revision),
    type: event.type,
    data: event.data as JsonObject,
    metadata: toJsonMetadata(metadata),
  };
}

/** The state after `events`, from `state`: what the stream folds to once they are stored. */
export function evolveAll<S, E extends DomainEvent>(
  decider: StreamDecider<unknown, S, E, string>,
  state: S,
  events: readonly E[],
): S {
  return events.reduce((current, event) => decider.evolve(current, event), state);
}

export function foldStream<S, E extends DomainEvent>(
  decider: StreamDecider<unknown, S, E, string>,
  id: string,
  recorded: readonly RecordedEvent[],
  requestId?: string,
): LoadedStream<S> {
  let state = decider.initialState;
  let doneByRequest: StreamAfterRequest<S> | undefined;
  for (const event of recorded) {
    state = decider.evolve(state, decider.fromRecorded(event));
    if (requestId !== undefined && requestIdOf(event.metadata) === requestId) {
      doneByRequest = { state, revision: event.revision, position: event.position };
    }
  }
  const last = recorded.at(-1);
  return {
    id,
    state,
    revision: last ? last.revision : NO_STREAM,
    position: last ? last.position : null,
    firstPosition: recorded[0]?.position ?? null,
    ...(doneByRequest === undefined ? {} : { doneByRequest }),
  };
}
