import type { Migration } from '../../src/database/migrate';

/**
 * The read models as first shipped: checkpoints, invoices, failures, billing runs and
 * customers. Frozen: a database that applied version 1 never runs it again, so a change
 * goes into a new migration (README.md here), never into this text.
 */
export const INITIAL_READ_MODELS_MIGRATION: Migration = {
  version: 1,
  name: 'checkpoints, invoices, failures, billing runs, customers',
  sql: `
CREATE TABLE projection_checkpoints (
  name             text        PRIMARY KEY,
  commit_position  bigint      NOT NULL,
  prepare_position bigint      NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoices (
  invoice_id             text          PRIMARY KEY,
  id_order text COLLATE "C" GENERATED ALWAYS AS (lpad(length(invoice_id)::text, 3, '0') || invoice_id) STORED,
  customer_id            text          NOT NULL,
  amount_value           numeric(17,2) NOT NULL,
  currency               text          NOT NULL,
  status                 text          NOT NULL,
  attempts               integer       NOT NULL,
  last_failure_attempt   integer,
  last_failure_reason    text,
  last_failure_message   text,
  last_failure_retryable boolean,
  last_failed_at         timestamptz,
  processing_since       timestamptz,
  revision               bigint        NOT NULL,
  issued_at              timestamptz   NOT NULL,
  updated_at             timestamptz   NOT NULL,
  state                  jsonb         NOT NULL
);
CREATE UNIQUE INDEX invoices_id_order_idx ON invoices (id_order);
CREATE INDEX invoices_status_id_order_idx ON invoices (status, id_order);
CREATE INDEX invoices_stale_idx ON invoices (processing_since) WHERE status = 'PROCESSING';

CREATE TABLE invoice_failures (
  invoice_id text        NOT NULL,
  revision   bigint      NOT NULL,
  attempt    integer     NOT NULL,
  outcome    text        NOT NULL,
  reason     text        NOT NULL,
  message    text        NOT NULL,
  retryable  boolean     NOT NULL,
  failed_at  timestamptz NOT NULL,
  PRIMARY KEY (invoice_id, revision)
);

CREATE TABLE billing_runs (
  run_id       text        PRIMARY KEY,
  period       text,
  trigger      text        NOT NULL,
  status       text        NOT NULL,
  started_at   timestamptz NOT NULL,
  completed_at timestamptz
);
CREATE INDEX billing_runs_started_idx ON billing_runs (started_at, run_id);
CREATE INDEX billing_runs_running_idx ON billing_runs (started_at, run_id) WHERE status = 'RUNNING';
CREATE TABLE billing_run_counts (
  run_id     text    PRIMARY KEY,
  processing integer NOT NULL,
  paid       integer NOT NULL,
  failed     integer NOT NULL,
  unknown    integer NOT NULL
);
CREATE TABLE billing_run_attempts (
  invoice_id    text    NOT NULL,
  attempt       integer NOT NULL,
  run_id        text    NOT NULL,
  outcome       text    NOT NULL,
  provider_said text,
  resolved_as   text,
  PRIMARY KEY (invoice_id, attempt)
);

CREATE TABLE customers (
  customer_id text    PRIMARY KEY,
  id_order text COLLATE "C" GENERATED ALWAYS AS (lpad(length(customer_id)::text, 3, '0') || customer_id) STORED,
  currency    text    NOT NULL,
  invoices    integer NOT NULL
);
CREATE UNIQUE INDEX customers_id_order_idx ON customers (id_order);`,
};
