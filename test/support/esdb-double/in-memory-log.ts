/**
 * The double's storage: one in-memory transaction log, modelled on EventStoreDB's.
 *
 * Every event gets a log position (commit == prepare, as EventStoreDB 20+ reports for
 * events written without explicit transactions); positions grow by a synthetic record
 * size so that code assuming "+1" between events fails here as it would on a server.
 * Appends follow EventStoreDB's commit check (IndexWriter.CheckCommit): expected
 * revision rules, then its event-id idempotency rules, described on `checkCommit`.
 */

export type ExpectedVersion =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface StoredEvent {
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: LogPosition;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends `created`. */
  readonly createdTicks: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type AppendOutcome =
  | {
      readonly result: 'written';
      readonly lastRevision: bigint;
      /** As the server's write request manager reports it: the commit (last record) and the transaction (first record). */
      readonly position: LogPosition;
    }
  | {
      readonly result: 'idempotent';
      readonly firstRevision: bigint;
      readonly lastRevision: bigint;
      readonly position: LogPosition;
    }
  | { readonly result: 'wrong_expected_version'; readonly current: bigint | 'no_stream' };

/** The first log position handed out: a server's log never starts at 0 for user events. */
const FIRST_POSITION = 1_000n;
/** Fixed part of a record's synthetic size in the log. */
const RECORD_OVERHEAD = 96n;

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export class InMemoryLog {
  private readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  /**
   * EventStoreDB's `_committedEvents`: event id -> where it was last committed. The
   * server's is a bounded cache (so `any`/`stream_exists` idempotency holds only for
   * recent events); this one is unbounded.
   */
  private readonly committedIds = new Map<string, { stream: string; revision: bigint }>();
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private nextPosition = FIRST_POSITION;

  get all(): readonly StoredEvent[] {
    return this.events;
  }

  stream(name: string): readonly StoredEvent[] | undefined {
    return this.streams.get(name);
  }

  /** The revision of the stream's last event, or -1 when it has none. */
  lastRevision(stream: string): bigint {
    const events = this.streams.get(stream);
    return events ? BigInt(events.length - 1) : -1n;
  }

  /** The position a subscription caught up at: the last event's, or the start. */
  headPosition(): LogPosition {
    const last = this.events.at(-1);
    return last ? last.position : { commit: 0n, prepare: 0n };
  }

  /** Calls `listener` for every event written from now on; returns a function to stop. */
  onWritten(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(
    stream: string,
    expected: ExpectedVersion,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome {
    const check = this.checkCommit(stream, expected, proposed);
    if (check.result !== 'ok') return check;
    const current = this.lastRevision(stream);
    if (proposed.length === 0) {
      // An empty write passes the check and stores nothing; the server answers with
      // the stream's revision and no position.
      return { result: 'written', lastRevision: current, position: { commit: -1n, prepare: -1n } };
    }
    const written = proposed.map((event, index) =>
      this.write(stream, current + 1n + BigInt(index), event),
    );
    for (const event of written) for (const listener of [...this.listeners]) listener(event);
    const first = written[0];
    const last = written[written.length - 1];
    return {
      result: 'written',
      lastRevision: last.revision,
      position: { commit: last.position.commit, prepare: first.position.prepare },
    };
  }

  /**
   * EventStoreDB's commit check, in its order:
   * - `stream_exists` on a stream without events is a wrong expected version (the
   *   server also accepts a stream that only has metadata; the double has none);
   * - `any` / `stream_exists`: if the first event's id was committed to this stream,
   *   every id must have been (then the write is idempotent and answers with the
   *   stored events' last revision); a first id not seen before writes the batch,
   *   even if later ids were seen; a first id seen but a later one not is
   *   "corrupted idempotency", answered as a wrong expected version;
   * - exact revision (or `no_stream`, -1) below the current revision: the events
   *   after the expected revision must carry the proposed ids one for one
   *   (idempotent); the first one differing is a wrong expected version, a later one
   *   corrupted idempotency (also a wrong expected version);
   * - above the current revision: wrong expected version; equal: written.
   * Ids are compared, never content: the same id with other data is idempotent.
   */
  private checkCommit(
    stream: string,
    expected: ExpectedVersion,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome | { result: 'ok' } {
    const current = this.lastRevision(stream);
    const wrong = (): AppendOutcome => ({
      result: 'wrong_expected_version',
      current: current < 0n ? 'no_stream' : current,
    });
    if (expected.kind === 'stream_exists' && current < 0n) return wrong();

    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      let start = -1n;
      let end = -1n;
      for (const [index, event] of proposed.entries()) {
        const seen = this.committedIds.get(event.id);
        if (!seen || seen.stream !== stream) return index === 0 ? { result: 'ok' } : wrong();
        if (index === 0) start = seen.revision;
        end = seen.revision;
      }
      if (proposed.length === 0) return { result: 'ok' };
      return this.idempotent(stream, end, start);
    }

    const expectedRevision = expected.kind === 'no_stream' ? -1n : expected.revision;
    if (expectedRevision < current) {
      let revision = expectedRevision;
      for (const event of proposed) {
        revision += 1n;
        const stored = this.streams.get(stream)?.[Number(revision)];
        if (stored?.id === event.id) continue;
        return wrong(); // first differing: wrong version; later: corrupted idempotency
      }
      if (revision === expectedRevision) return wrong(); // no events
      return this.idempotent(stream, revision, expectedRevision + 1n);
    }
    if (expectedRevision > current) return wrong();
    return { result: 'ok' };
  }

  /**
   * Idempotent writes answer with the last matching event's revision and its log
   * position (the server's IdempotentLogPosition), for commit and prepare alike.
   */
  private idempotent(stream: string, lastRevision: bigint, firstRevision: bigint): AppendOutcome {
    const last = (this.streams.get(stream) ?? [])[Number(lastRevision)];
    return { result: 'idempotent', firstRevision, lastRevision, position: last.position };
  }

  private write(stream: string, revision: bigint, event: ProposedEvent): StoredEvent {
    const position = { commit: this.nextPosition, prepare: this.nextPosition };
    this.nextPosition +=
      RECORD_OVERHEAD +
      BigInt(stream.length + event.type.length + event.data.length + event.customMetadata.length);
    const stored: StoredEvent = {
      ...event,
      stream,
      revision,
      position,
      createdTicks: BigInt(Date.now()) * 10_000n,
    };
    this.events.push(stored);
    const events = this.streams.get(stream) ?? [];
    events.push(stored);
    this.streams.set(stream, events);
    this.committedIds.set(event.id, { stream, revision });
    return stored;
  }
}
