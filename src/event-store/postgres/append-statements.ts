import type { NamedStatement } from '../../database/sql-database';
import type { EventData, JsonObject } from '../event-data';

/**
 * The appends' fast path: one plain INSERT … SELECT per append, prepared once per
 * connection, with no lock, no PL/pgSQL and no idempotency probe. It stores the events
 * only if the stream's current revision (read in the statement's snapshot) is the
 * expected one (exact revisions and no_stream only); the unique indexes settle every race:
 *
 * - two writers at one revision: the second's insert waits for the first and fails with
 *   a unique violation on (stream_name, stream_revision), and nothing of it is stored;
 * - an event id stored before: a unique violation on event_id (a retry, or a conflict);
 * - a stream that moved on before the snapshot: no row matches, nothing is inserted.
 *
 * Every such case (no rows, or a unique violation) goes to the PL/pgSQL functions, which
 * lock the stream and tell apart a wrong expected revision, an idempotent retry and an id
 * conflict. The global order still follows each stream's revisions: the statement builds
 * only on events its snapshot shows committed, and its transaction id is assigned at its
 * first insert, after that snapshot, so it is larger than theirs (docs/event-store.md).
 */
const insertColumns = `INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)`;
const eventValues = `(x.ev->>'id')::uuid, x.ev->>'type', x.ev->'data', coalesce(x.ev->'metadata', '{}'::jsonb)`;
const returning = `RETURNING stream_name, stream_revision,
  transaction_id::text::bigint AS commit_position, global_position`;

/** $1 stream, $2 expected revision (>= -1: -1 is no_stream), $3 events as a jsonb array. */
export const APPEND_IF_AT_REVISION: NamedStatement = {
  name: 'antaeus_append_if_at_revision',
  text: `${insertColumns}
SELECT $1, c.current + x.ord, ${eventValues}
  FROM (SELECT coalesce(max(e.stream_revision), -1) AS current
          FROM events e WHERE e.stream_name = $1) AS c,
       jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(ev, ord)
 WHERE c.current = $2::bigint
 ORDER BY x.ord
${returning}`,
};

/**
 * One element per event, in insert order: $1 text[] stream, $2 bigint[] its expected
 * revision (>= -1), $3 int[] the event's place in its append (1, 2, …), $4 uuid[] id,
 * $5 text[] type, $6 the data as one JSON array, $7 int[] which element of $8 (jsonb[],
 * the distinct metadata: one per write, sent once) is its metadata. Typed arrays cost
 * PostgreSQL about a third less than one JSON document of the whole batch, and the data
 * as one JSON array spares both sides escaping each element (docs/benchmarks.md, import).
 * Distinct streams in name order, the order every batch uses, so two batches waiting on
 * each other's rows cannot deadlock; every event of a stream is checked in the same
 * snapshot, so a stream's events are stored all or none.
 */
export const APPEND_MANY_IF_AT_REVISIONS: NamedStatement = {
  name: 'antaeus_append_many_if_at_revisions_arrays',
  text: `${insertColumns}
SELECT e.stream, e.expected + e.ord, e.id, e.type, e.data, ($8::jsonb[])[e.metadata]
  FROM ROWS FROM (unnest($1::text[]), unnest($2::bigint[]), unnest($3::int[]),
                  unnest($4::uuid[]), unnest($5::text[]), jsonb_array_elements($6::jsonb),
                  unnest($7::int[]))
       WITH ORDINALITY AS e(stream, expected, ord, id, type, data, metadata, k)
 WHERE e.expected = coalesce((SELECT max(x.stream_revision) FROM events x
                               WHERE x.stream_name = e.stream), -1)
 ORDER BY e.k
${returning}`,
};

/**
 * APPEND_MANY_IF_AT_REVISIONS for appendAll, with its parameters: all or nothing. It
 * inserts only if every stream is at its expected revision (read in one snapshot);
 * otherwise no row. A unique violation fails the whole statement, as above.
 */
export const APPEND_ALL_IF_AT_REVISIONS: NamedStatement = {
  name: 'antaeus_append_all_if_at_revisions',
  text: `WITH e AS (
  SELECT e.*, e.expected = coalesce((SELECT max(x.stream_revision) FROM events x
                                      WHERE x.stream_name = e.stream), -1) AS holds
    FROM ROWS FROM (unnest($1::text[]), unnest($2::bigint[]), unnest($3::int[]),
                    unnest($4::uuid[]), unnest($5::text[]), jsonb_array_elements($6::jsonb),
                    unnest($7::int[]))
         WITH ORDINALITY AS e(stream, expected, ord, id, type, data, metadata, k)
)
${insertColumns}
SELECT e.stream, e.expected + e.ord, e.id, e.type, e.data, ($8::jsonb[])[e.metadata]
  FROM e
 WHERE NOT EXISTS (SELECT 1 FROM e AS f WHERE NOT f.holds)
 ORDER BY e.k
${returning}`,
};

/** The parameters of APPEND_MANY_IF_AT_REVISIONS (and APPEND_ALL_…) for `appends`, in order. */
export function appendManyParameters(appends: readonly FastPathAppend[]): unknown[] {
  const streams: string[] = [];
  const expected: string[] = [];
  const places: number[] = [];
  const ids: string[] = [];
  const types: string[] = [];
  const data: JsonObject[] = [];
  const metadataIndexes: number[] = [];
  const metadata: string[] = [];
  const metadataIndex = new Map<JsonObject | undefined, number>();
  for (const append of appends) {
    append.events.forEach((event, i) => {
      let index = metadataIndex.get(event.metadata);
      if (index === undefined) {
        metadata.push(JSON.stringify(event.metadata ?? {}));
        index = metadata.length;
        metadataIndex.set(event.metadata, index);
      }
      streams.push(append.stream);
      expected.push(append.expected);
      places.push(i + 1);
      ids.push(event.id);
      types.push(event.type);
      data.push(event.data);
      metadataIndexes.push(index);
    });
  }
  return [streams, expected, places, ids, types, JSON.stringify(data), metadataIndexes, metadata];
}

/** An append the fast path may store: exact revision or no_stream, encoded. */
export interface FastPathAppend {
  readonly stream: string;
  readonly expected: string;
  readonly events: readonly EventData[];
}

/** A row the fast path stored. */
export interface InsertedEventRow {
  stream_name: string;
  stream_revision: bigint;
  commit_position: bigint;
  global_position: bigint;
}
