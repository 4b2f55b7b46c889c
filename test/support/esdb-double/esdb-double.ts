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
 * - Faults: `stop()` (the port stops answering: UNAVAILABLE) and `restart()` (the same
 *   node back on the same port with the same log, as after a process restart),
 *   `setResponseDelay(ms)` (writes are applied but answered late: deadline exceeded with
 *   the outcome unknown), `loseAnswers(n, matches)` (the next matching writes are applied
 *   and never answered), `setSubscriptionsIncludeStart(true)` (a `$all` subscription
 *   repeats its start event).
 *
 * Does not model: persistence, clustering / leader election / gossip / NotLeader,
 * BatchAppend, Delete / Tombstone / stream metadata ($maxCount, $tb, soft delete),
 * system projections ($by_category, $ce-, $et-, link events and resolveLinkTos),
 * ACLs and authentication, TLS, persistent subscriptions, fell-behind handling and
 * backpressure, the bounded size of the server's idempotency cache, scavenging.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { appendHandler, type WrittenAppend } from './append-handler';
import { InMemoryLog } from './in-memory-log';
import { readHandler } from './read-handler';
import { seedSystemEvents } from './system-events';

export interface EsdbDoubleOptions {
  /** Write the system events a fresh node has in `$all` (default true). */
  readonly systemEvents?: boolean;
  /**
   * Give events read from a stream their `$all` position, as servers since 22.6 do
   * (default true); false: Position.End and `no_position`, as older servers send.
   */
  readonly streamReadPositions?: boolean;
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
  /**
   * The next `count` appends that `matches` are applied and never answered: the caller's
   * deadline passes (set `defaultDeadline` in the connection string) and it cannot know
   * the write happened.
   */
  loseAnswers(count: number, matches?: (write: WrittenAppend) => boolean): void;
  /** Stops listening and drops every connection and subscription; idempotent. */
  stop(): Promise<void>;
  /**
   * Listens again on the same port with the same log (stopping first if running): the
   * node came back. Clients reconnect on their next call; subscriptions were dropped.
   */
  restart(): Promise<void>;
  /** Whether the node is listening. */
  readonly running: boolean;
  /**
   * Appends applied whose caller had gone (deadline exceeded, cancelled) when the answer
   * was ready: the write happened, the caller could not know.
   */
  readonly unansweredWrites: number;
}

export async function startEsdbDouble(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
  const log = new InMemoryLog();
  if (options.systemEvents ?? true) seedSystemEvents(log);
  let delayMs = 0;
  let includeStart = false;
  let unansweredWrites = 0;
  const answersToLose: { count: number; matches: (write: WrittenAppend) => boolean }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const hooks = {
    includeStartPosition: () => includeStart,
    streamReadPositions: options.streamReadPositions ?? true,
    beforeResponse: () =>
      new Promise<void>((resolve) => {
        if (delayMs <= 0) return resolve();
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delayMs);
        timers.add(timer);
      }),
    unanswered: () => {
      unansweredWrites++;
    },
    withholdAnswer: (write: WrittenAppend) => {
      const rule = answersToLose.find((each) => each.count > 0 && each.matches(write));
      if (rule) rule.count--;
      return rule !== undefined;
    },
  };

  // Methods left out (Delete, Tombstone, BatchAppend, and the whole ServerFeatures
  // service) get grpc-js's default handler: UNIMPLEMENTED.
  const listen = async (port: number): Promise<{ server: Server; port: number }> => {
    const server = new Server();
    server.addService(StreamsService, {
      append: appendHandler(log, hooks),
      read: readHandler(log, hooks),
    });
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, at) =>
        error ? reject(error) : resolve(at),
      ),
    );
    return { server, port: bound };
  };

  let current: Server | null;
  const first = await listen(0);
  current = first.server;
  const port = first.port;

  const stop = async (): Promise<void> => {
    if (!current) return;
    // Answers held back by a response delay are never sent: the node went away.
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    current.forceShutdown();
    current = null;
  };

  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    log,
    get running() {
      return current !== null;
    },
    get unansweredWrites() {
      return unansweredWrites;
    },
    setResponseDelay: (ms) => {
      delayMs = ms;
    },
    setSubscriptionsIncludeStart: (include) => {
      includeStart = include;
    },
    loseAnswers: (count, matches = () => true) => {
      answersToLose.push({ count, matches });
    },
    stop,
    restart: async () => {
      await stop();
      current = (await listen(port)).server;
    },
  };
}
