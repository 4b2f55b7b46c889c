import type { EventData } from './event-data';
import type { ExpectedRevision } from './expected-revision';
import type { Position } from './position';
import type { RecordedEvent } from './recorded-event';
import type { EventIdConflictError } from './errors/event-id-conflict.error';
import type { WrongExpectedVersionError } from './errors/wrong-expected-version.error';

/** Nest injection token for the configured event store. */
export const EVENT_STORE = Symbol('EVENT_STORE');

export interface AppendResult {
  /** The revision of the stream's last event after the append. */
  readonly nextExpectedRevision: bigint;
  /** The global position of the last event appended. */
  readonly position: Position;
}

export interface AppendRequest {
  readonly stream: string;
  readonly events: readonly EventData[];
  readonly expectedRevision: ExpectedRevision;
}

/** One result per stream of a batch: some may conflict while the others are stored. */
export type BatchAppendResult =
  | ({ readonly success: true; readonly stream: string } & AppendResult)
  | {
      readonly success: false;
      readonly stream: string;
      readonly error: WrongExpectedVersionError | EventIdConflictError;
    };

/** A request of appendAll whose expected revision did not hold (or whose ids clash). */
export interface AppendAllConflict {
  /** Where the request is in the call. */
  readonly index: number;
  readonly stream: string;
  readonly error: WrongExpectedVersionError | EventIdConflictError;
}

/** The answer of appendAll: every request stored, or a list of why not. */
export type AppendAllResult =
  | {
      readonly success: true;
      /** One per request, in the order asked. */
      readonly results: readonly AppendResult[];
    }
  | {
      readonly success: false;
      /** At least one; every one on PostgreSQL and PGlite, the first on EventStoreDB. */
      readonly conflicts: readonly AppendAllConflict[];
      /**
       * The requests stored anyway, by index: always none on PostgreSQL and PGlite; on
       * EventStoreDB the ones before the first conflict (see appendAll).
       */
      readonly written: readonly number[];
    };

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** First revision to read (inclusive); defaults to the start (forwards) or end (backwards). */
  readonly from?: bigint | 'start' | 'end';
  readonly direction?: Direction;
  /** At most this many events; defaults to all. */
  readonly limit?: number;
}

export interface AllFilter {
  /** Only streams whose names start with one of these prefixes. */
  readonly streamPrefixes?: readonly string[];
  /** Only events of these types. */
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Read events after this position (exclusive); START reads from the beginning. */
  readonly after: Position;
  readonly filter?: AllFilter;
  /** Batch size: at most this many events. */
  readonly limit: number;
}

export interface SubscribeToAllOptions {
  readonly after: Position;
  readonly filter?: AllFilter;
  /** Events fetched per read while catching up. */
  readonly batchSize?: number;
}

/**
 * Follows the global log from a checkpoint: first everything already committed, then
 * live appends, each event exactly once, in global order. Iteration ends after close().
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/**
 * The event store, shaped after EventStoreDB's streams API. Implemented by PostgreSQL,
 * embedded PostgreSQL (PGlite) and EventStoreDB; all pass test/event-store/*contract*.
 */
export interface EventStore {
  /**
   * Appends events to one stream if it is at `expectedRevision`.
   * Throws WrongExpectedVersionError when it is not; EventIdConflictError when an id is
   * already stored with other content or elsewhere. Re-appending the same events (same
   * ids, same content) at the same place succeeds and stores nothing new.
   */
  append(
    stream: string,
    events: readonly EventData[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;

  /**
   * Appends to many streams, each with its own expected revision; each stream succeeds or
   * fails on its own. On PostgreSQL, usually one statement for the whole batch (a second
   * for the streams it did not store); other backends may go stream by stream.
   */
  appendMany(requests: readonly AppendRequest[]): Promise<BatchAppendResult[]>;

  /**
   * Appends to many streams if every expected revision holds, else stores nothing and
   * lists the requests that failed (a retry of the same events counts as holding, as in
   * append). PostgreSQL and PGlite do it in one transaction (usually one statement).
   * EventStoreDB has no multi-stream transaction: it appends request by request, in the
   * order given, and stops at the first that fails; the ones before it stay stored and
   * are listed in `written` (docs/design.md §1.2). A caller that must not leave a part
   * behind on EventStoreDB re-reads and decides again; what it wrote stays.
   */
  appendAll(requests: readonly AppendRequest[]): Promise<AppendAllResult>;

  /** A stream's events; an empty array when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /**
   * Several whole streams, forwards, in one go where the backend can (one query on
   * PostgreSQL): every stream asked for is in the map, a missing one as [].
   */
  readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>>;

  /** One batch of the global log after a checkpoint, in global order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;

  /** A catch-up subscription: reads from the checkpoint, then follows live appends. */
  subscribeToAll(options: SubscribeToAllOptions): AllSubscription;

  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;

  close(): Promise<void>;
}
