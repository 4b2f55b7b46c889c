import type { Migration } from '../../database/migrate';

/**
 * The event log. Appends go through `append_to_stream`, one round trip per append,
 * which takes the stream's advisory lock *before* the transaction is given an id: a
 * later writer of a stream therefore always has a larger transaction id, and the
 * global order (transaction_id, global_position) follows every stream's revisions.
 * Readers read only below the oldest transaction still in flight, so an event that
 * commits late can never be skipped (docs/event-store.md).
 */
const createEventLog = `
CREATE TABLE events (
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  global_position bigint      GENERATED ALWAYS AS IDENTITY,
  stream_name     text        NOT NULL,
  stream_revision bigint      NOT NULL,
  event_id        uuid        NOT NULL,
  event_type      text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_pkey PRIMARY KEY (transaction_id, global_position),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_name, stream_revision),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_revision_not_negative CHECK (stream_revision >= 0)
);

-- p_expected: -1 no_stream, -2 any, -3 stream_exists, >= 0 the exact revision.
-- status: 'ok', 'idempotent' (these ids are already stored at this place),
-- 'wrong_expected_version', 'event_id_conflict' (an id stored with other content or
-- elsewhere; conflict_event_id names it).
CREATE FUNCTION append_to_stream(p_stream text, p_expected bigint, p_events jsonb)
RETURNS TABLE (status text, current_revision bigint, next_revision bigint,
               commit_position bigint, prepare_position bigint, conflict_event_id text)
LANGUAGE plpgsql AS $$
DECLARE
  v_count   integer := jsonb_array_length(p_events);
  v_ids     uuid[]  := ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) AS x);
  v_current bigint;
  v_found   integer;
  v_same    integer;
  v_low     bigint;
  v_high    bigint;
  v_last    bigint;
BEGIN
  -- Advisory locks give no transaction id: see the comment on this migration.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));
  SELECT coalesce(max(e.stream_revision), -1) INTO v_current
    FROM events e WHERE e.stream_name = p_stream;

  -- Ids already stored: the same events at the same place is a retry, anything else
  -- is a conflict. (Probing the id index first keeps the common case one lookup.)
  IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (v_ids)) THEN
    SELECT count(*),
           count(*) FILTER (WHERE e.stream_name = p_stream
                              AND e.event_type = x.ev->>'type'
                              AND e.data = x.ev->'data'
                              AND e.metadata = coalesce(x.ev->'metadata', '{}'::jsonb)),
           min(e.stream_revision - x.ord), max(e.stream_revision - x.ord)
      INTO v_found, v_same, v_low, v_high
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ord)
      JOIN events e ON e.event_id = (x.ev->>'id')::uuid
     WHERE e.event_id = ANY (v_ids);
    IF v_found = v_count AND v_same = v_count AND v_low = v_high
       AND (p_expected < -1 OR v_low = p_expected) THEN
      RETURN QUERY
        SELECT 'idempotent'::text, v_current, e.stream_revision,
               e.transaction_id::text::bigint, e.global_position, NULL::text
          FROM events e
         WHERE e.stream_name = p_stream AND e.stream_revision = v_low + v_count;
    ELSE
      RETURN QUERY
        SELECT 'event_id_conflict'::text, v_current, NULL::bigint, NULL::bigint, NULL::bigint,
               x.ev->>'id'
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ord)
          JOIN events e ON e.event_id = (x.ev->>'id')::uuid
         WHERE e.event_id = ANY (v_ids)
         ORDER BY x.ord LIMIT 1;
    END IF;
    RETURN;
  END IF;

  IF NOT (p_expected = -2 OR p_expected = v_current OR (p_expected = -3 AND v_current >= 0)) THEN
    RETURN QUERY SELECT 'wrong_expected_version'::text, v_current, NULL::bigint, NULL::bigint,
                        NULL::bigint, NULL::text;
    RETURN;
  END IF;

  WITH inserted AS (
    INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)
    SELECT p_stream, v_current + x.ord, (x.ev->>'id')::uuid, x.ev->>'type', x.ev->'data',
           coalesce(x.ev->'metadata', '{}'::jsonb)
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ord)
     ORDER BY x.ord
    RETURNING global_position
  )
  SELECT max(global_position) INTO v_last FROM inserted;

  RETURN QUERY SELECT 'ok'::text, v_current, v_current + v_count,
                      pg_current_xact_id()::text::bigint, v_last, NULL::text;
END;
$$;

-- Many streams in one transaction, each with its own expected revision. Stream locks
-- are taken in one global order first, so two batches can never deadlock.
CREATE FUNCTION append_to_streams(p_batch jsonb)
RETURNS TABLE (stream_name text, status text, current_revision bigint, next_revision bigint,
               commit_position bigint, prepare_position bigint, conflict_event_id text)
LANGUAGE plpgsql AS $$
DECLARE
  v_item jsonb;
BEGIN
  PERFORM pg_advisory_xact_lock(k.key)
     FROM (SELECT DISTINCT hashtextextended(b->>'stream', 0) AS key
             FROM jsonb_array_elements(p_batch) AS b ORDER BY 1) AS k;
  FOR v_item IN SELECT b FROM jsonb_array_elements(p_batch) AS b LOOP
    RETURN QUERY
      SELECT v_item->>'stream', a.*
        FROM append_to_stream(v_item->>'stream', (v_item->>'expected')::bigint, v_item->'events') AS a;
  END LOOP;
END;
$$;
`;

/**
 * The batch append in one set-based statement when it can be: all streams distinct and
 * none of the event ids stored yet (the common case: claims and outcomes of a page).
 * Otherwise (a retry of stored events, one stream twice) it goes stream by stream as
 * before. Same locks, same results.
 */
const setBasedBatchAppend = `
CREATE OR REPLACE FUNCTION append_to_streams(p_batch jsonb)
RETURNS TABLE (stream_name text, status text, current_revision bigint, next_revision bigint,
               commit_position bigint, prepare_position bigint, conflict_event_id text)
LANGUAGE plpgsql AS $$
DECLARE
  v_item     jsonb;
  v_ids      uuid[];
  v_items    integer := jsonb_array_length(p_batch);
  v_streams  integer;
BEGIN
  PERFORM pg_advisory_xact_lock(k.key)
     FROM (SELECT DISTINCT hashtextextended(b->>'stream', 0) AS key
             FROM jsonb_array_elements(p_batch) AS b ORDER BY 1) AS k;
  SELECT count(DISTINCT b->>'stream') INTO v_streams FROM jsonb_array_elements(p_batch) AS b;
  v_ids := ARRAY(SELECT (x->>'id')::uuid
                   FROM jsonb_array_elements(p_batch) AS b, jsonb_array_elements(b->'events') AS x);

  IF v_streams = v_items AND NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (v_ids)) THEN
    RETURN QUERY
      WITH requests AS (
        SELECT t.ord, t.b->>'stream' AS stream, (t.b->>'expected')::bigint AS expected,
               t.b->'events' AS batch_events,
               coalesce((SELECT max(e.stream_revision) FROM events e
                          WHERE e.stream_name = t.b->>'stream'), -1) AS current
          FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS t(b, ord)
      ),
      accepted AS (
        SELECT * FROM requests r
         WHERE r.expected = -2 OR r.expected = r.current OR (r.expected = -3 AND r.current >= 0)
      ),
      inserted AS (
        INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)
        SELECT a.stream, a.current + x.ord, (x.ev->>'id')::uuid, x.ev->>'type', x.ev->'data',
               coalesce(x.ev->'metadata', '{}'::jsonb)
          FROM accepted a, jsonb_array_elements(a.batch_events) WITH ORDINALITY AS x(ev, ord)
         ORDER BY a.ord, x.ord
        RETURNING events.stream_name, events.stream_revision, events.global_position
      ),
      last_events AS (
        SELECT i.stream_name, max(i.stream_revision) AS revision, max(i.global_position) AS position
          FROM inserted i GROUP BY i.stream_name
      )
      SELECT r.stream,
             CASE WHEN l.stream_name IS NULL THEN 'wrong_expected_version' ELSE 'ok' END,
             r.current, l.revision,
             CASE WHEN l.stream_name IS NULL THEN NULL ELSE pg_current_xact_id()::text::bigint END,
             l.position, NULL::text
        FROM requests r LEFT JOIN last_events l ON l.stream_name = r.stream
       ORDER BY r.ord;
    RETURN;
  END IF;

  FOR v_item IN SELECT b FROM jsonb_array_elements(p_batch) AS b LOOP
    RETURN QUERY
      SELECT v_item->>'stream', a.*
        FROM append_to_stream(v_item->>'stream', (v_item->>'expected')::bigint, v_item->'events') AS a;
  END LOOP;
END;
$$;
`;

export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'event log', sql: createEventLog },
  { version: 2, name: 'set-based batch append', sql: setBasedBatchAppend },
];
