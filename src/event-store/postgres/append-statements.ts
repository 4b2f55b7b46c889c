import type { NamedStatement } from '../../database/sql-database';

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
 * $1 a jsonb array of {stream, expected, events}: distinct streams in name order, every
 * expected revision >= -1. Streams are inserted in name order, the order every batch
 * uses, so two batches waiting on each other's rows cannot deadlock.
 */
export const APPEND_MANY_IF_AT_REVISIONS: NamedStatement = {
  name: 'antaeus_append_many_if_at_revisions',
  text: `${insertColumns}
SELECT r.stream, r.expected + x.ord, ${eventValues}
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(b, ord),
       LATERAL (SELECT t.b->>'stream' AS stream, (t.b->>'expected')::bigint AS expected) AS r,
       jsonb_array_elements(t.b->'events') WITH ORDINALITY AS x(ev, ord)
 WHERE r.expected = coalesce((SELECT max(e.stream_revision) FROM events e
                               WHERE e.stream_name = r.stream), -1)
 ORDER BY t.ord, x.ord
${returning}`,
};

/** A row the fast path stored. */
export interface InsertedEventRow {
  stream_name: string;
  stream_revision: bigint;
  commit_position: bigint;
  global_position: bigint;
}
