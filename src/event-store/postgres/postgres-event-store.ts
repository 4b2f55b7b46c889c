import {
  constraintName,
  DEADLOCK_DETECTED,
  sqlState,
  UNIQUE_VIOLATION,
  type SqlDatabase,
} from '../../database/sql-database';
import { groupBy } from '../../shared/group-by';
import { CatchUpSubscription } from '../catch-up-subscription';
import { LogTailCache } from '../log-tail-cache';
import type { EventData } from '../event-data';
import type {
  AllSubscription,
  AppendAllConflict,
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
import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error';
import { NO_STREAM, type ExpectedRevision } from '../expected-revision';
import type { RecordedEvent } from '../recorded-event';
import { AppendBatcher } from './append-batcher';
import { AppendNotifier } from './append-notifier';
import {
  APPEND_ALL_IF_AT_REVISIONS,
  APPEND_IF_AT_REVISION,
  APPEND_MANY_IF_AT_REVISIONS,
  appendManyParameters,
  type FastPathAppend,
  type InsertedEventRow,
} from './append-statements';
import { validateAppend } from '../validate-append';
import { encodeExpected, toCurrentRevision } from './expected-revision-encoding';
import {
  readAllSql,
  readStreamSql,
  readStreamsSql,
  toRecordedEvent,
  type EventRow,
} from './event-rows';

/** Group commit (AppendBatcher); the lanes were chosen by measurement: docs/event-store.md. */
const DEFAULT_APPEND_LANES = 4;
const MAX_APPEND_BATCH = 100;

/** A lost race in the locking functions against a fast-path writer: retried this often. */
const LOCKED_APPEND_RETRIES = 5;

interface AppendRow {
  status: 'ok' | 'idempotent' | 'wrong_expected_version' | 'event_id_conflict';
  current_revision: bigint;
  next_revision: bigint | null;
  commit_position: bigint | null;
  prepare_position: bigint | null;
  conflict_event_id: string | null;
}

export interface PostgresEventStoreOptions {
  /** NOTIFY other processes of appends (PostgreSQL); in-process wake-ups always happen. */
  readonly crossProcessNotify: boolean;
  readonly pollIntervalMs?: number;
  /**
   * Statements of concurrent single appends in flight at once (group commit, default 4);
   * Infinity sends every append alone, without group commit.
   */
  readonly appendLanes?: number;
}

/** The event store on PostgreSQL or PGlite: the same SQL, through SqlDatabase. */
export class PostgresEventStore implements EventStore {
  private readonly notifier: AppendNotifier;
  /** The subscriptions of this process (the projectors) share their reads of the tail. */
  private readonly tail = new LogTailCache((read) => this.readAll(read));
  private readonly batcher: AppendBatcher<FastPathAppend, InsertedEventRow[] | null>;

  constructor(
    private readonly db: SqlDatabase,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.notifier = new AppendNotifier(db, options.crossProcessNotify);
    this.batcher = new AppendBatcher((appends) => this.flushAppends(appends), {
      lanes: options.appendLanes ?? DEFAULT_APPEND_LANES,
      maxBatch: MAX_APPEND_BATCH,
    });
  }

  /**
   * The fast path first for an exact revision or no_stream: one prepared INSERT (see
   * append-statements.ts), shared with the appends running at the same moment (group
   * commit, AppendBatcher); whatever it does not store (a moved stream, a retry, a race)
   * goes to `append_to_stream`, which locks the stream and says why.
   */
  async append(
    stream: string,
    events: readonly EventData[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    validateAppend(stream, events, expectedRevision);
    const expected = encodeExpected(expectedRevision);
    if (isAtRevision(expectedRevision)) {
      const inserted = await this.batcher.submit({ stream, expected, events });
      if (inserted !== null && inserted.length > 0) return storedResult(stream, inserted);
    }
    const [row] = await this.locked(stream, () =>
      this.db.query<AppendRow>('SELECT * FROM append_to_stream($1, $2::bigint, $3::jsonb)', [
        stream,
        expected,
        JSON.stringify(events),
      ]),
    );
    const result = toResult(stream, expectedRevision, row);
    if (!result.success) throw result.error;
    if (row.status === 'ok') this.notifier.appended();
    return result;
  }

  /**
   * Requests go in stream-name order (the order every batch inserts in, so batches never
   * deadlock). Distinct streams at exact revisions take the fast path in one statement;
   * the requests it did not store, and any batch it cannot take, go to
   * `append_to_streams`, which locks their streams and says why, request by request.
   */
  async appendMany(requests: readonly AppendRequest[]): Promise<BatchAppendResult[]> {
    if (requests.length === 0) return [];
    const { batch, atRevisions } = batchOf(requests);
    const results: BatchAppendResult[] = new Array(requests.length);
    let rest = batch;
    if (atRevisions) {
      const stored = await this.insertAtRevisions(batch);
      if (stored !== null) {
        for (const item of batch) {
          const rows = stored.get(item.stream);
          if (rows) results[item.index] = storedResult(item.stream, rows);
        }
        rest = batch.filter((item) => !stored.has(item.stream));
      }
    }
    if (rest.length === 0) return results;
    const rows = await this.locked(rest[0].stream, () =>
      this.db.query<AppendRow & { stream_name: string }>(
        'SELECT * FROM append_to_streams($1::jsonb)',
        [JSON.stringify(rest)],
      ),
    );
    rest.forEach((item, position) => {
      const { stream, expectedRevision } = requests[item.index];
      results[item.index] = toResult(stream, expectedRevision, rows[position]);
    });
    if (rows.some((row) => row.status === 'ok')) this.notifier.appended();
    return results;
  }

  /**
   * All or nothing. Distinct streams at exact revisions try one statement that stores
   * them all or none (APPEND_ALL_IF_AT_REVISIONS); when it stores nothing (a stream moved,
   * a retry of stored events, a race) or cannot be used, `append_to_streams` runs in a
   * transaction that is rolled back unless every request is stored or idempotent, and
   * then says which failed and why. Stream-name order, as appendMany.
   */
  async appendAll(requests: readonly AppendRequest[]): Promise<AppendAllResult> {
    if (requests.length === 0) return { success: true, results: [] };
    const { batch, atRevisions } = batchOf(requests);
    if (atRevisions) {
      const inserted = await fastPath(() =>
        this.db.query<InsertedEventRow>(APPEND_ALL_IF_AT_REVISIONS, appendManyParameters(batch)),
      );
      if (inserted !== null && inserted.length > 0) {
        this.notifier.appended();
        const stored = groupBy(inserted, (row) => row.stream_name);
        const results: AppendResult[] = new Array(requests.length);
        for (const item of batch) {
          const { nextExpectedRevision, position } = storedResult(
            item.stream,
            stored.get(item.stream) ?? [],
          );
          results[item.index] = { nextExpectedRevision, position };
        }
        return { success: true, results };
      }
    }
    const outcome = await this.appendAllLocked(batch, requests);
    if (outcome.success && outcome.stored) this.notifier.appended();
    return outcome.success
      ? { success: true, results: outcome.results }
      : { success: false, conflicts: outcome.conflicts, written: [] };
  }

  /** `append_to_streams` in a transaction kept only if every request held. */
  private async appendAllLocked(
    batch: readonly (FastPathAppend & { readonly index: number })[],
    requests: readonly AppendRequest[],
  ): Promise<
    | { success: true; results: AppendResult[]; stored: boolean }
    | { success: false; conflicts: AppendAllConflict[] }
  > {
    const judge = (rows: readonly AppendRow[]) =>
      batch.map((item, position) => {
        const { stream, expectedRevision } = requests[item.index];
        return { index: item.index, result: toResult(stream, expectedRevision, rows[position]) };
      });
    try {
      const rows = await this.locked(batch[0].stream, () =>
        this.db.transaction(async (tx) => {
          const stored = await tx.query<AppendRow>('SELECT * FROM append_to_streams($1::jsonb)', [
            JSON.stringify(batch),
          ]);
          if (stored.some((row) => row.status !== 'ok' && row.status !== 'idempotent')) {
            throw new RolledBack(stored);
          }
          return stored;
        }),
      );
      const results: AppendResult[] = new Array(requests.length);
      for (const { index, result } of judge(rows)) {
        if (!result.success) throw new Error('append_to_streams kept a failed request');
        results[index] = {
          nextExpectedRevision: result.nextExpectedRevision,
          position: result.position,
        };
      }
      return { success: true, results, stored: rows.some((row) => row.status === 'ok') };
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
      const conflicts = judge(error.rows)
        .flatMap(({ index, result }) =>
          result.success ? [] : [{ index, stream: result.stream, error: result.error }],
        )
        .sort((a, b) => a.index - b.index);
      return { success: false, conflicts };
    }
  }

  /**
   * The fast path for distinct streams in name order: the rows stored, by stream (a
   * stream it did not store has none), or null when the statement lost a race and
   * stored nothing. One append alone uses the statement made for one stream.
   */
  private async insertAtRevisions(
    batch: readonly FastPathAppend[],
  ): Promise<Map<string, InsertedEventRow[]> | null> {
    const inserted = await fastPath(() =>
      batch.length === 1
        ? this.db.query<InsertedEventRow>(APPEND_IF_AT_REVISION, [
            batch[0].stream,
            batch[0].expected,
            JSON.stringify(batch[0].events),
          ])
        : this.db.query<InsertedEventRow>(APPEND_MANY_IF_AT_REVISIONS, appendManyParameters(batch)),
    );
    if (inserted === null) return null;
    if (inserted.length > 0) this.notifier.appended();
    return groupBy(inserted, (row) => row.stream_name);
  }

  /**
   * A batch of single appends (AppendBatcher): each gets the rows stored for it, an empty
   * list when its stream was not where it expected, or null when the batch lost a race;
   * both go to the locking path, one by one.
   */
  private async flushAppends(
    appends: readonly FastPathAppend[],
  ): Promise<(InsertedEventRow[] | null)[]> {
    const stored = await this.insertAtRevisions(byStreamName(appends));
    return appends.map((item) => (stored === null ? null : (stored.get(item.stream) ?? [])));
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const from = options.from ?? (direction === 'forwards' ? 'start' : 'end');
    if (direction === 'forwards' && from === 'end') return [];
    const rows = await this.db.query<EventRow>(readStreamSql(direction), [
      stream,
      typeof from === 'bigint' ? from.toString() : null,
      options.limit ?? null,
    ]);
    return rows.map(toRecordedEvent);
  }

  async readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const read = new Map<string, RecordedEvent[]>(streams.map((stream) => [stream, []]));
    if (streams.length === 0) return read;
    const rows = await this.db.query<EventRow>(readStreamsSql, [streams]);
    for (const row of rows) read.get(row.stream_name)?.push(toRecordedEvent(row));
    return read;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const { after, filter, limit } = options;
    const rows = await this.db.query<EventRow>(readAllSql, [
      // xid8 cannot be negative; (0, -1) is still before every stored event.
      (after.commit < 0n ? 0n : after.commit).toString(),
      after.prepare.toString(),
      filter?.streamPrefixes?.map((prefix) => `${escapeLike(prefix)}%`) ?? null,
      filter?.eventTypes ?? null,
      limit,
    ]);
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions): AllSubscription {
    return new CatchUpSubscription(
      {
        readAll: (read) => this.tail.read(read),
        onAppended: (wake) => this.notifier.subscribe(wake),
      },
      { ...options, pollIntervalMs: this.options.pollIntervalMs },
    );
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1 FROM events LIMIT 1');
  }

  async close(): Promise<void> {
    await this.notifier.close();
  }

  /**
   * Runs a locking function. Its locks keep out other locking writers, not fast-path
   * ones: a fast-path insert at the same revision that commits first makes it fail with a
   * unique violation, and the next try sees that event. The same id appended concurrently
   * to another stream surfaces as a unique violation on the id.
   */
  private async locked<T>(stream: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (
          sqlState(error) === UNIQUE_VIOLATION &&
          constraintName(error) === 'events_event_id_key'
        ) {
          throw new EventIdConflictError(
            stream,
            idFromDetail(error),
            'appended concurrently elsewhere',
            { cause: error },
          );
        }
        if (!lostRace(error) || attempt > LOCKED_APPEND_RETRIES) throw error;
      }
    }
  }
}

/** Thrown inside appendAll's transaction to roll it back, with the rows that said why. */
class RolledBack extends Error {
  constructor(readonly rows: readonly AppendRow[]) {
    super('appendAll rolled back: a request did not hold');
  }
}

/** In stream-name order: the order every batch inserts in, so two never deadlock. */
/**
 * Validates a batch's requests and puts them in stream-name order, each with its index;
 * `atRevisions`: distinct streams, every one at an exact revision (the fast paths).
 */
function batchOf(requests: readonly AppendRequest[]): {
  batch: (FastPathAppend & { readonly index: number })[];
  atRevisions: boolean;
} {
  for (const request of requests) {
    validateAppend(request.stream, request.events, request.expectedRevision);
  }
  const batch = byStreamName(
    requests.map((request, index) => ({
      index,
      stream: request.stream,
      expected: encodeExpected(request.expectedRevision),
      events: request.events,
    })),
  );
  const distinct = new Set(batch.map((item) => item.stream)).size === batch.length;
  const atRevisions =
    distinct && requests.every((request) => isAtRevision(request.expectedRevision));
  return { batch, atRevisions };
}

function byStreamName<T extends { readonly stream: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
}

/** Exact revisions and no_stream can take the fast path. */
function isAtRevision(expected: ExpectedRevision): boolean {
  return expected === NO_STREAM || typeof expected === 'bigint';
}

/** Runs a fast-path statement; null when it lost a race (the locking path decides then). */
async function fastPath<Row>(work: () => Promise<Row[]>): Promise<Row[] | null> {
  try {
    return await work();
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION || lostRace(error)) return null;
    throw error;
  }
}

/** Another writer stored the revision first, or PostgreSQL broke a deadlock. */
function lostRace(error: unknown): boolean {
  const state = sqlState(error);
  return (
    (state === UNIQUE_VIOLATION && constraintName(error) === 'events_stream_revision_key') ||
    state === DEADLOCK_DETECTED
  );
}

/** The result of events the fast path stored: the last one's revision and position. */
function storedResult(
  stream: string,
  rows: readonly InsertedEventRow[],
): BatchAppendResult & { success: true } {
  let last = rows[0];
  for (const row of rows) if (row.global_position > last.global_position) last = row;
  return {
    success: true,
    stream,
    nextExpectedRevision: BigInt(last.stream_revision),
    position: { commit: BigInt(last.commit_position), prepare: BigInt(last.global_position) },
  };
}

function toResult(stream: string, expected: ExpectedRevision, row: AppendRow): BatchAppendResult {
  switch (row.status) {
    case 'ok':
    case 'idempotent':
      return {
        success: true,
        stream,
        nextExpectedRevision: row.next_revision as bigint,
        position: {
          commit: row.commit_position as bigint,
          prepare: row.prepare_position as bigint,
        },
      };
    case 'wrong_expected_version':
      return {
        success: false,
        stream,
        error: new WrongExpectedVersionError(
          stream,
          expected,
          toCurrentRevision(row.current_revision),
        ),
      };
    case 'event_id_conflict':
      return {
        success: false,
        stream,
        error: new EventIdConflictError(
          stream,
          row.conflict_event_id ?? 'unknown',
          'the id is stored with other content or at another place',
        ),
      };
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function idFromDetail(error: unknown): string {
  const detail = (error as { detail?: unknown }).detail;
  const match = typeof detail === 'string' ? /=\(([^)]+)\)/.exec(detail) : null;
  return match?.[1] ?? 'unknown';
}
