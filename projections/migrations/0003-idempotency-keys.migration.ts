import type { Migration } from '../../src/database/migrate';

/**
 * The API's Idempotency-Key records (docs/api.md, "Idempotent requests"). Not a
 * projection: written by the API itself, beside the read models in the same database so
 * every instance shares them. One row per (principal, route, key) while it is kept
 * (24 h); `request_id` names the request in the events it writes. Frozen once shipped
 * (README.md here).
 */
export const IDEMPOTENCY_KEYS_MIGRATION: Migration = {
  version: 3,
  name: 'idempotency keys',
  sql: `CREATE TABLE idempotency_keys (
  principal text NOT NULL,
  route text NOT NULL,
  idempotency_key text NOT NULL,
  request_id uuid NOT NULL,
  fingerprint text NOT NULL,
  state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
  locked_by text,
  locked_until timestamptz,
  response_status integer,
  response_body text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (principal, route, idempotency_key),
  CHECK (state = 'in_progress' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);`,
};
