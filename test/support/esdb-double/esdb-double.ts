/**
 * A protocol-level test double of an EventStoreDB node: a real gRPC server (on
 * @grpc/grpc-js) implementing, from the service definitions that ship with
 * @eventstore/db-client, what that client calls for our adapter. The real client talks
 * to it over HTTP/2 exactly as to a server, so the adapter's requests, responses and
 * error paths are exercised without an EventStoreDB (none can run here).
 *
 * Models (see docs/eventstoredb.md for detail):
 * - `Streams/Append`: expected revisions (no_stream, any, stream_exists, exact), the
 *   server's event-id idempotency rules (IndexWriter.CheckCommit), wrong expected
 *   version in the response body, required `type`/`content-type` metadata, the 1 MiB
 *   max append size, ids parsed as GUIDs.
 * - `Streams/Read`: stream reads forwards/backwards from start/end/revision with a
 *   count and stream-not-found; `$all` reads forwards (inclusive of the position) and
 *   backwards (exclusive); subscriptions to a stream or to `$all` (exclusive of the
 *   start revision/position), with stream-name / event-type filters (prefixes or
 *   regex), confirmation, checkpoints for filtered subscriptions, caught_up, then
 *   live events. Positions are commit/prepare log positions (commit == prepare).
 * - `ServerFeatures/GetSupportedMethods` answers UNIMPLEMENTED (as servers before
 *   21.10), so the client appends with plain `Streams/Append`.
 * - Faults: `stop()` (the port stops answering: UNAVAILABLE), `setResponseDelay(ms)`
 *   (writes are applied but answered late: deadline exceeded with the outcome unknown),
 *   `setSubscriptionsIncludeStart(true)` (a `$all` subscription repeats its start event).
 *
 * Does not model: persistence, clustering / leader election / gossip / NotLeader,
 * BatchAppend, Delete / Tombstone / stream metadata ($maxCount, $tb, soft delete),
 * system projections ($by_category, $ce-, $et-, link events and resolveLinkTos),
 * ACLs and authentication, TLS, persistent subscriptions, fell-behind handling and
 * backpressure, the bounded size of the server's idempotency cache, scavenging.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { appendHandler } from './append-handler';
import { InMemoryLog } from './in-memory-log';
import { readHandler } from './read-handler';
import { seedSystemEvents } from './system-events';

export interface EsdbDoubleOptions {
  /** Write the system events a fresh node has in `$all` (default true). */
  readonly systemEvents?: boolean;
}

export interface EsdbDouble {
  /** `esdb://127.0.0.1:<port>?tls=false`; add `&defaultDeadline=<ms>` etc. as needed. */
  readonly connectionString: string;
  readonly log: InMemoryLog;
  /** Delay every answer (appends are applied first), until set back to 0. */
  setResponseDelay(ms: number): void;
  /**
   * Make `$all` subscriptions include the event at their start position, as a server
   * might: the adapter must not deliver it twice.
   */
  setSubscriptionsIncludeStart(include: boolean): void;
  /** Stops listening and drops every connection and subscription; idempotent. */
  stop(): Promise<void>;
}

export async function startEsdbDouble(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
  const log = new InMemoryLog();
  if (options.systemEvents ?? true) seedSystemEvents(log);
  let delayMs = 0;
  let includeStart = false;
  const timers = new Set<NodeJS.Timeout>();
  const hooks = {
    includeStartPosition: () => includeStart,
    beforeResponse: () =>
      new Promise<void>((resolve) => {
        if (delayMs <= 0) return resolve();
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delayMs);
        timers.add(timer);
      }),
  };

  // Methods left out (Delete, Tombstone, BatchAppend, and the whole ServerFeatures
  // service) get grpc-js's default handler: UNIMPLEMENTED.
  const server = new Server();
  server.addService(StreamsService, {
    append: appendHandler(log, hooks),
    read: readHandler(log, hooks),
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  let stopped = false;
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    log,
    setResponseDelay: (ms) => {
      delayMs = ms;
    },
    setSubscriptionsIncludeStart: (include) => {
      includeStart = include;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      server.forceShutdown();
    },
  };
}
