import {
  constraintName,
  sqlState,
  UNIQUE_VIOLATION,
  type SqlDatabase,
} from '../../database/sql-database';
import { CatchUpSubscription } from '../catch-up-subscription';
import type { EventData } from '../event-data';
import type {
  AllSubscription,
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
import type { ExpectedRevision } from '../expected-revision';
import type { RecordedEvent } from '../recorded-event';
import { AppendNotifier } from './append-notifier';
import { validateAppend } from '../validate-append';
import { encodeExpected, toCurrentRevision } from './expected-revision-encoding';
import {
  readAllSql,
  readStreamSql,
  readStreamsSql,
  toRecordedEvent,
  type EventRow,
} from './event-rows';

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
}

/** The event store on PostgreSQL or PGlite: the same SQL, through SqlDatabase. */
export class PostgresEventStore implements EventStore {
  private readonly notifier: AppendNotifier;

  constructor(
    private readonly db: SqlDatabase,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.notifier = new AppendNotifier(db, options.crossProcessNotify);
  }

  async append(
    stream: string,
    events: readonly EventData[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    validateAppend(stream, events, expectedRevision);
    const [row] = await this.run(stream, () =>
      this.db.query<AppendRow>('SELECT * FROM append_to_stream($1, $2::bigint, $3::jsonb)', [
        stream,
        encodeExpected(expectedRevision),
        JSON.stringify(events),
      ]),
    );
    const result = toResult(stream, expectedRevision, row);
    if (!result.success) throw result.error;
    if (row.status === 'ok') this.notifier.appended();
    return result;
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<BatchAppendResult[]> {
    if (requests.length === 0) return [];
    for (const request of requests) {
      validateAppend(request.stream, request.events, request.expectedRevision);
    }
    const batch = requests.map((request) => ({
      stream: request.stream,
      expected: encodeExpected(request.expectedRevision),
      events: request.events,
    }));
    const rows = await this.run(requests[0].stream, () =>
      this.db.query<AppendRow & { stream_name: string }>(
        'SELECT * FROM append_to_streams($1::jsonb)',
        [JSON.stringify(batch)],
      ),
    );
    const results = rows.map((row, index) =>
      toResult(requests[index].stream, requests[index].expectedRevision, row),
    );
    if (rows.some((row) => row.status === 'ok')) this.notifier.appended();
    return results;
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
        readAll: (read) => this.readAll(read),
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

  /** The same id appended concurrently to another stream surfaces as a unique violation. */
  private async run<T>(stream: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION && constraintName(error) === 'events_event_id_key') {
        throw new EventIdConflictError(
          stream,
          idFromDetail(error),
          'appended concurrently elsewhere',
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }
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
