import type { Client } from 'pg';

/** One projection's distance behind the log at one instant, by the server's clock. */
export interface ProjectionLag {
  readonly name: string;
  /**
   * 0 when no committed event lies past the checkpoint; otherwise the age of the newest
   * event at or before the checkpoint (how far back in time the read model's view of the
   * log ends), or of the oldest waiting event when nothing is projected yet.
   */
  readonly lagMs: number;
  /** Age of the oldest committed event past the checkpoint (0 when caught up). */
  readonly oldestWaitingMs: number;
  /**
   * Events behind, roughly: the newest event's global position minus the checkpoint's
   * (global positions are handed out at insert, so a transaction in flight can make it
   * off by that transaction's events). 0 when caught up.
   */
  readonly eventsBehind: number;
}

// Positions are (transaction id, global position), the events table's primary key, so
// each probe is one descent of that index: a sample costs three index probes per
// projection whatever the log's size. created_at is the appending transaction's start
// (now()), which for the engine's short append transactions is its commit within
// milliseconds. A checkpoint at START (-1/-1) reads as "before every event".
const LAG_SQL = `
WITH head AS (
  SELECT e.global_position FROM events e
   ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1)
SELECT c.name,
       coalesce(extract(epoch FROM statement_timestamp() - newest.created_at) * 1000, 0) AS newest_age_ms,
       extract(epoch FROM statement_timestamp() - oldest.created_at) * 1000 AS oldest_age_ms,
       coalesce((SELECT global_position FROM head), 0) - c.prepare_position AS behind,
       newest.created_at IS NOT NULL AS any_projected
  FROM projection_checkpoints c
  LEFT JOIN LATERAL (
    SELECT e.created_at FROM events e
     WHERE (e.transaction_id, e.global_position) > (greatest(c.commit_position, 0)::text::xid8, c.prepare_position)
     ORDER BY e.transaction_id, e.global_position LIMIT 1) oldest ON true
  LEFT JOIN LATERAL (
    SELECT e.created_at FROM events e
     WHERE (e.transaction_id, e.global_position) <= (greatest(c.commit_position, 0)::text::xid8, c.prepare_position)
     ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1) newest ON true
 ORDER BY c.name`;

interface LagRow {
  name: string;
  newest_age_ms: string;
  /** null when no committed event lies past the checkpoint. */
  oldest_age_ms: string | null;
  behind: string;
  any_projected: boolean;
}

/** Every projection's lag now, read from its checkpoint and the event log. */
export async function projectionLags(client: Client): Promise<ProjectionLag[]> {
  const { rows } = await client.query<LagRow>(LAG_SQL);
  return rows.map((row) => {
    const caughtUp = row.oldest_age_ms === null;
    const oldestWaitingMs = caughtUp ? 0 : Math.max(0, Number(row.oldest_age_ms));
    const newestAgeMs = row.any_projected ? Number(row.newest_age_ms) : oldestWaitingMs;
    return {
      name: row.name,
      lagMs: caughtUp ? 0 : Math.max(0, newestAgeMs),
      oldestWaitingMs,
      eventsBehind: caughtUp ? 0 : Math.max(1, Number(row.behind)),
    };
  });
}
