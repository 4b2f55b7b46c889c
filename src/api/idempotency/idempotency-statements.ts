import type { NamedStatement } from '../../database/sql-database';

/** A row of `idempotency_keys` as read. */
export interface IdempotencyRow {
  readonly request_id: string;
  readonly fingerprint: string;
  readonly state: 'in_progress' | 'completed';
  readonly locked_until: Date | string | null;
  readonly response_status: number | null;
  readonly response_body: string | null;
  readonly created_at: Date | string;
  readonly expires_at: Date | string;
}

const KEY = 'principal = $1 AND route = $2 AND idempotency_key = $3';

function statement(name: string, text: string): NamedStatement {
  return { name: `idempotency_${name}`, text };
}

/** Every statement of the store; $1-$3 are always the key (principal, route, key). */
export const IDEMPOTENCY_STATEMENTS = {
  /** The one statement that gives a key to exactly one of many concurrent requests. */
  insert: statement(
    'insert',
    `INSERT INTO idempotency_keys (principal, route, idempotency_key, request_id, fingerprint,
       state, locked_by, locked_until, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, $7, $8, $9)
     ON CONFLICT (principal, route, idempotency_key) DO NOTHING
     RETURNING request_id`,
  ),
  find: statement(
    'find',
    `SELECT request_id, fingerprint, state, locked_until, response_status, response_body,
       created_at, expires_at
     FROM idempotency_keys WHERE ${KEY}`,
  ),
  /** Only while still expired: a key taken anew meanwhile stays. */
  deleteExpired: statement(
    'delete_expired',
    `DELETE FROM idempotency_keys WHERE ${KEY} AND expires_at <= $4`,
  ),
  /**
   * The lease must still have ended when the row is locked (PostgreSQL re-checks the
   * condition on the locked row), so of two instances taking over at once one wins.
   */
  takeOver: statement(
    'take_over',
    `UPDATE idempotency_keys SET locked_by = $5, locked_until = $6
     WHERE ${KEY} AND request_id = $4 AND state = 'in_progress'
       AND (locked_until IS NULL OR locked_until <= $7) AND expires_at > $7
     RETURNING request_id`,
  ),
  /** The first answer stored wins; a later run of the same request reads it instead. */
  complete: statement(
    'complete',
    `UPDATE idempotency_keys SET state = 'completed', locked_by = NULL, locked_until = NULL,
       response_status = $5, response_body = $6
     WHERE ${KEY} AND request_id = $4 AND state = 'in_progress'
     RETURNING request_id`,
  ),
  release: statement(
    'release',
    `UPDATE idempotency_keys SET locked_by = NULL, locked_until = $6
     WHERE ${KEY} AND request_id = $4 AND state = 'in_progress' AND locked_by = $5`,
  ),
  forget: statement(
    'forget',
    `DELETE FROM idempotency_keys
     WHERE ${KEY} AND request_id = $4 AND state = 'in_progress' AND locked_by = $5`,
  ),
  /** A bounded batch, so the cleanup never holds many row locks at once. */
  deleteExpiredBatch: statement(
    'delete_expired_batch',
    `DELETE FROM idempotency_keys WHERE (principal, route, idempotency_key) IN (
       SELECT principal, route, idempotency_key FROM idempotency_keys
       WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING request_id`,
  ),
} as const;
