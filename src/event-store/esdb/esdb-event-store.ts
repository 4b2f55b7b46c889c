import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START as ESDB_START,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventData } from '../event-data';
import type {
  AllSubscription,
  AppendAllResult,
  AppendRequest,
  AppendResult,
  BatchAppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeToAllOptions,
} from '../event-store.port';
import { EventIdConflictError } from '../errors/event-id-conflict.error';
import { EventStoreUnavailableError } from '../errors/event-store-unavailable.error';
import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error';
import type { ExpectedRevision } from '../expected-revision';
import { comparePositions, type Position } from '../position';
import type { RecordedEvent } from '../recorded-event';
import { validateAppend } from '../validate-append';
import { allFilterPredicate, toServerFilter } from './esdb-all-filter';
import { EsdbAllSubscription } from './esdb-all-subscription';
import { mapEsdbError } from './map-esdb-error';
import { sameEvent } from './same-content';
import {
  toEsdbEvent,
  toReadEvent,
  toRecordedEvent,
  withAllPosition,
  type ReadEvent,
} from './to-recorded-event';

export interface EsdbEventStoreOptions {
  /** How long ping() waits for an answer (reads have no client deadline). Default 5 s. */
  readonly pingTimeoutMs?: number;
  /** Events fetched per `$all` page while filling a readAll batch. Default 256. */
  readonly readAllPageSize?: number;
}

/** Stream reads in flight at once for readStreams. */
const READ_STREAMS_PARALLELISM = 16;

/**
 * The event store on EventStoreDB, through @eventstore/db-client (gRPC).
 *
 * Streams, revisions and expected revisions are EventStoreDB's own; our Position is
 * its `$all` position and our START its start. Every successful append is read back
 * (one extra read of the appended events) because EventStoreDB answers a retry with
 * the same ids as a success whatever the content: the read-back turns "same id,
 * other content or another place" into EventIdConflictError, and gives the exact
 * position of the last event (from a server that leaves positions out of stream reads,
 * the append's answer). See docs/eventstoredb.md for what it cannot detect.
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<EsdbAllSubscription>();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EsdbEventStoreOptions = {},
  ) {}

  /** From `ESDB_CONNECTION_STRING`, e.g. `esdb://localhost:2113?tls=false`. */
  static fromConnectionString(
    connectionString: string,
    options?: EsdbEventStoreOptions,
  ): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(
    stream: string,
    events: readonly EventData[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    validateAppend(stream, events, expectedRevision);
    let answered: { nextExpectedRevision: bigint; position?: Position };
    try {
      answered = await this.client.appendToStream(stream, events.map(toEsdbEvent), {
        expectedRevision,
      });
    } catch (error) {
      throw mapEsdbError(error, { stream, expected: expectedRevision });
    }
    const stored = await this.appended(stream, events, answered.nextExpectedRevision);
    return {
      nextExpectedRevision: answered.nextExpectedRevision,
      position: stored.at(-1)?.position ?? this.requirePosition(stream, answered.position),
    };
  }

  /** Stream by stream: EventStoreDB has no multi-stream transaction. */
  async appendMany(requests: readonly AppendRequest[]): Promise<BatchAppendResult[]> {
    for (const request of requests)
      validateAppend(request.stream, request.events, request.expectedRevision);
    const results: BatchAppendResult[] = [];
    for (const { stream, events, expectedRevision } of requests) {
      try {
        results.push({
          success: true,
          stream,
          ...(await this.append(stream, events, expectedRevision)),
        });
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError))
          throw error;
        results.push({ success: false, stream, error });
      }
    }
    return results;
  }

  /**
   * Not atomic: EventStoreDB has no multi-stream transaction. Request by request in the
   * order given, stopping at the first that fails; the ones before it stay stored and
   * are reported as `written` (docs/eventstoredb.md).
   */
  async appendAll(requests: readonly AppendRequest[]): Promise<AppendAllResult> {
    for (const request of requests)
      validateAppend(request.stream, request.events, request.expectedRevision);
    const results: AppendResult[] = [];
    for (const [index, { stream, events, expectedRevision }] of requests.entries()) {
      try {
        results.push(await this.append(stream, events, expectedRevision));
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError))
          throw error;
        const written = results.map((_, earlier) => earlier);
        return { success: false, conflicts: [{ index, stream, error }], written };
      }
    }
    return { success: true, results };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const from = options.from ?? (direction === 'forwards' ? 'start' : 'end');
    if ((direction === 'forwards' && from === 'end') || options.limit === 0) return [];
    return (
      await this.readStreamEvents(stream, {
        fromRevision: from === 'start' ? ESDB_START : from === 'end' ? END : from,
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        ...(options.limit === undefined ? {} : { maxCount: options.limit }),
      })
    ).map(withAllPosition);
  }

  /** EventStoreDB reads one stream per call: a few at a time, over one connection. */
  async readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const read = new Map<string, RecordedEvent[]>();
    for (let start = 0; start < streams.length; start += READ_STREAMS_PARALLELISM) {
      const slice = streams.slice(start, start + READ_STREAMS_PARALLELISM);
      const events = await Promise.all(slice.map((stream) => this.readStream(stream)));
      slice.forEach((stream, index) => read.set(stream, events[index]));
    }
    return read;
  }

  /**
   * The client reads `$all` from a position inclusively and without filters, so pages
   * are read from the last position seen, that position's event dropped, and the
   * filter applied here until the batch is full or the log ends.
   */
  async readAll({ after, filter, limit }: ReadAllOptions): Promise<RecordedEvent[]> {
    const accepts = allFilterPredicate(filter);
    const pageSize = Math.max(limit + 1, this.options.readAllPageSize ?? 256);
    const batch: RecordedEvent[] = [];
    let from = after;
    while (batch.length < limit) {
      const page = await this.readAllPage(from, pageSize);
      for (const resolved of page) {
        const event = resolved.event;
        if (!event || comparePositions(event.position, from) <= 0) continue;
        from = event.position;
        if (!accepts({ stream: event.streamId, type: event.type })) continue;
        batch.push(toRecordedEvent(resolved));
        if (batch.length === limit) break;
      }
      if (page.length < pageSize) break;
    }
    return batch;
  }

  subscribeToAll({ after, filter }: SubscribeToAllOptions): AllSubscription {
    const source = this.client.subscribeToAll({
      fromPosition: toReadPosition(after),
      filter: toServerFilter(filter),
    });
    const subscription: EsdbAllSubscription = new EsdbAllSubscription(source, after, filter, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Reads the last event of `$all`: cheap, and fails when no server answers. */
  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    const timeoutMs = this.options.pingTimeoutMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void read.cancel();
        reject(
          new EventStoreUnavailableError(
            `EventStoreDB did not answer a ping within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
    });
    try {
      await Promise.race([collect(read), timedOut]);
    } catch (error) {
      throw mapEsdbError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  /**
   * Reads back the events an append answered for and checks they are ours. A fresh
   * write always matches; an idempotent one (nothing written) matches only if the
   * stored events have the same ids, in place, with the same content. Positions are
   * not needed here, so a server that leaves them out of stream reads can still append.
   */
  private async appended(
    stream: string,
    events: readonly EventData[],
    lastRevision: bigint,
  ): Promise<ReadEvent[]> {
    const firstRevision = lastRevision - BigInt(events.length) + 1n;
    if (firstRevision < 0n)
      throw idConflict(stream, events[0].id, 'the append was answered below revision 0');
    const stored = await this.readStreamEvents(stream, {
      fromRevision: firstRevision,
      maxCount: events.length,
    });
    // Fewer events means they were removed since ($maxCount, $tb, delete): nothing to compare.
    events.slice(0, stored.length).forEach((event, index) => {
      if (!sameEvent(stored[index], event)) {
        throw idConflict(
          stream,
          event.id,
          stored[index].id.toLowerCase() === event.id.toLowerCase()
            ? 'it is stored with other content (EventStoreDB took the append for a retry and stored nothing)'
            : `it is stored elsewhere in the stream, not at revision ${stored[index].revision}`,
        );
      }
    });
    return stored;
  }

  private async readStreamEvents(
    stream: string,
    options: Parameters<EventStoreDBClient['readStream']>[1],
  ): Promise<ReadEvent[]> {
    try {
      return (await collect<ResolvedEvent>(this.client.readStream(stream, options))).map(
        toReadEvent,
      );
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw mapEsdbError(error);
    }
  }

  private requirePosition(stream: string, position: Position | undefined): Position {
    if (position) return position;
    throw new Error(`EventStoreDB answered an append to "${stream}" without a position`);
  }

  private async readAllPage(from: Position, pageSize: number): Promise<AllStreamResolvedEvent[]> {
    try {
      return await collect<AllStreamResolvedEvent>(
        this.client.readAll({ fromPosition: toReadPosition(from), maxCount: pageSize }),
      );
    } catch (error) {
      throw mapEsdbError(error);
    }
  }
}

/** Our START (before every event) is EventStoreDB's start; any other position is its own. */
function toReadPosition(position: Position): ReadPosition {
  return position.commit < 0n ? ESDB_START : { commit: position.commit, prepare: position.prepare };
}

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}

function idConflict(stream: string, eventId: string, detail: string): EventIdConflictError {
  return new EventIdConflictError(stream, eventId, detail);
}
