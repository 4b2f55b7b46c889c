import { randomUUID } from 'node:crypto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { checkpointEvery, toEventPredicate, type EventPredicate } from './all-filter';
import {
  comparePositions,
  type InMemoryLog,
  type LogPosition,
  type StoredEvent,
} from './in-memory-log';
import {
  caughtUpMessage,
  checkpointMessage,
  confirmationMessage,
  eventMessage,
  streamName,
  streamNotFoundMessage,
} from './read-messages';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

export interface ReadHooks {
  /** Resolves when the server may start answering. */
  beforeResponse(): Promise<void>;
  /** Fault: `$all` subscriptions also send the event at their start position. */
  readonly includeStartPosition: () => boolean;
  /** Whether events read from a stream carry their `$all` position (servers since 22.6). */
  readonly streamReadPositions: boolean;
}

const StreamOption = ReadReq.Options.StreamOptions.RevisionOptionCase;
const AllOption = ReadReq.Options.AllOptions.AllOptionCase;

/**
 * `Streams/Read`, server streaming: reads of one stream or of `$all`, forwards or
 * backwards, with a count; and subscriptions (the `subscription` option instead of a
 * count) to one stream or to `$all`, optionally filtered.
 */
export function readHandler(log: InMemoryLog, hooks: ReadHooks) {
  return (call: ReadCall): void => {
    const options = call.request.getOptions();
    if (!options) {
      call.destroy(new Error('read request without options'));
      return;
    }
    hooks.beforeResponse().then(
      () => {
        if (call.cancelled) return;
        if (options.hasSubscription()) subscribe(log, call, options, hooks);
        else read(log, call, options, hooks);
      },
      (error: Error) => call.destroy(error),
    );
  };
}

function read(log: InMemoryLog, call: ReadCall, options: ReadReq.Options, hooks: ReadHooks): void {
  const count = BigInt(options.getCount());
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  const structured = options.getUuidOption()?.hasStructured() ?? false;
  let events: StoredEvent[];
  if (options.hasStream()) {
    const stream = options.getStream() as ReadReq.Options.StreamOptions;
    const name = streamName(stream.getStreamIdentifier());
    const stored = log.stream(name);
    if (!stored) {
      call.write(streamNotFoundMessage(name));
      call.end();
      return;
    }
    events = streamSlice(stored, stream, backwards);
  } else {
    events = allSlice(log.all, options.getAll() as ReadReq.Options.AllOptions, backwards).filter(
      toEventPredicate(options),
    );
  }
  const withPosition = !options.hasStream() || hooks.streamReadPositions;
  for (const event of events.slice(
    0,
    count > BigInt(events.length) ? events.length : Number(count),
  )) {
    call.write(eventMessage(event, structured, withPosition));
  }
  call.end();
}

/** Forwards: revisions from `from` up; backwards: from `from` down (both inclusive). */
function streamSlice(
  stored: readonly StoredEvent[],
  options: ReadReq.Options.StreamOptions,
  backwards: boolean,
): StoredEvent[] {
  const last = BigInt(stored.length - 1);
  let from: bigint;
  switch (options.getRevisionOptionCase()) {
    case StreamOption.START:
      from = 0n;
      break;
    case StreamOption.END:
      from = backwards ? last : last + 1n;
      break;
    default:
      from = BigInt(options.getRevision());
  }
  if (!backwards) return stored.filter((event) => event.revision >= from);
  return stored.filter((event) => event.revision <= from).reverse();
}

/** Forwards from a position: events at or after it; backwards: events before it. */
function allSlice(
  all: readonly StoredEvent[],
  options: ReadReq.Options.AllOptions,
  backwards: boolean,
): StoredEvent[] {
  const option = options.getAllOptionCase();
  if (!backwards) {
    if (option === AllOption.END) return [];
    if (option === AllOption.START) return [...all];
    const from = toPosition(options.getPosition());
    return all.filter((event) => comparePositions(event.position, from) >= 0);
  }
  if (option === AllOption.START) return [];
  if (option === AllOption.END) return [...all].reverse();
  const before = toPosition(options.getPosition());
  return all.filter((event) => comparePositions(event.position, before) < 0).reverse();
}

function toPosition(position: ReadReq.Options.Position | undefined): LogPosition {
  return {
    commit: BigInt(position?.getCommitPosition() ?? '0'),
    prepare: BigInt(position?.getPreparePosition() ?? '0'),
  };
}

/**
 * A catch-up subscription: confirmation, the stored events after the start (exclusive
 * of a given revision or position, as the server's subscriptions are), `caught_up`,
 * then live events. The log is synchronous, so taking the history and registering for
 * live events in one turn leaves no gap and no duplicate.
 */
function subscribe(
  log: InMemoryLog,
  call: ReadCall,
  options: ReadReq.Options,
  hooks: ReadHooks,
): void {
  const structured = options.getUuidOption()?.hasStructured() ?? false;
  const { history, accepts } = options.hasStream()
    ? streamSubscription(log, options.getStream() as ReadReq.Options.StreamOptions)
    : allSubscription(log, options, hooks.includeStartPosition());
  const checkpointInterval = options.hasAll() ? checkpointEvery(options) : undefined;
  const withPosition = options.hasAll() || hooks.streamReadPositions;

  call.write(confirmationMessage(randomUUID()));
  let scanned = 0;
  for (const event of history) {
    scanned += 1;
    if (accepts(event)) call.write(eventMessage(event, structured, withPosition));
    if (checkpointInterval && scanned % checkpointInterval === 0) {
      call.write(checkpointMessage(event.position));
    }
  }
  if (checkpointInterval) call.write(checkpointMessage(log.headPosition()));
  call.write(caughtUpMessage());

  const stop = log.onWritten((event) => {
    if (accepts(event)) call.write(eventMessage(event, structured, withPosition));
  });
  call.on('cancelled', stop);
  call.on('close', stop);
  call.on('error', stop);
}

interface SubscriptionSource {
  readonly history: readonly StoredEvent[];
  readonly accepts: EventPredicate;
}

function streamSubscription(
  log: InMemoryLog,
  options: ReadReq.Options.StreamOptions,
): SubscriptionSource {
  const name = streamName(options.getStreamIdentifier());
  const stored = log.stream(name) ?? [];
  const accepts: EventPredicate = (event) => event.stream === name;
  switch (options.getRevisionOptionCase()) {
    case StreamOption.START:
      return { history: [...stored], accepts };
    case StreamOption.END:
      return { history: [], accepts };
    default: {
      const after = BigInt(options.getRevision());
      return { history: stored.filter((event) => event.revision > after), accepts };
    }
  }
}

function allSubscription(
  log: InMemoryLog,
  options: ReadReq.Options,
  includeStart: boolean,
): SubscriptionSource {
  const all = options.getAll() as ReadReq.Options.AllOptions;
  const accepts = toEventPredicate(options);
  switch (all.getAllOptionCase()) {
    case AllOption.START:
      return { history: [...log.all], accepts };
    case AllOption.END:
      return { history: [], accepts };
    default: {
      const after = toPosition(all.getPosition());
      return {
        history: log.all.filter(
          (event) => comparePositions(event.position, after) > (includeStart ? -1 : 0),
        ),
        accepts,
      };
    }
  }
}
