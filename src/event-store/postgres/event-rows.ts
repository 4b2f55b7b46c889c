import type { JsonObject } from '../event-data';
import type { Direction } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';

export interface EventRow {
  event_id: string;
  stream_name: string;
  stream_revision: bigint;
  commit_position: bigint;
  global_position: bigint;
  event_type: string;
  data: JsonObject;
  metadata: JsonObject;
  created_at: Date;
}

const columns = `event_id::text, stream_name, stream_revision,
  transaction_id::text::bigint AS commit_position, global_position,
  event_type, data, metadata, created_at`;

export function readStreamSql(direction: Direction): string {
  return direction === 'forwards'
    ? `SELECT ${columns} FROM events
        WHERE stream_name = $1 AND stream_revision >= coalesce($2::bigint, 0)
        ORDER BY stream_revision LIMIT $3`
    : `SELECT ${columns} FROM events
        WHERE stream_name = $1 AND ($2::bigint IS NULL OR stream_revision <= $2::bigint)
        ORDER BY stream_revision DESC LIMIT $3`;
}

/**
 * Not a prepared statement: after five runs PostgreSQL may switch a named statement to a
 * generic plan, which cannot see how many names the array holds (2 for a create, 1,000
 * for an import batch) and chose parallel scans of the events table: an import's re-run
 * of 1,000,000 lines went from 54 s to over 4 minutes (docs/benchmarks.md).
 */
export const readStreamsSql = `SELECT ${columns} FROM events
  WHERE stream_name = ANY ($1::text[])
  ORDER BY stream_name, stream_revision`;

/**
 * Only rows of transactions older than every transaction still in flight: whatever is
 * returned can never be preceded, in (transaction_id, global_position) order, by an
 * event that commits later.
 */
export const readAllSql = `
  SELECT ${columns} FROM events
   WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     AND (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
     AND ($3::text[] IS NULL OR stream_name LIKE ANY ($3::text[]))
     AND ($4::text[] IS NULL OR event_type = ANY ($4::text[]))
   ORDER BY transaction_id, global_position
   LIMIT $5`;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    stream: row.stream_name,
    revision: row.stream_revision,
    position: { commit: row.commit_position, prepare: row.global_position },
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    createdAt: row.created_at,
  };
}
