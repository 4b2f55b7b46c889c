import type { TableNames } from '../projection';

/**
 * Runs from their own streams; each attempt's facts keyed by invoice and attempt; and
 * per run the count of its attempts in each standing, kept by deltas as attempts move.
 * Counts live apart from runs so an attempt may be seen before its run's start.
 */
export function billingRunsSchema(names: TableNames): string {
  const runs = names('billing_runs');
  const counts = names('billing_run_counts');
  const attempts = names('billing_run_attempts');
  return `
CREATE TABLE ${runs} (
  run_id       text        PRIMARY KEY,
  period       text,
  trigger      text        NOT NULL,
  status       text        NOT NULL,
  started_at   timestamptz NOT NULL,
  completed_at timestamptz
);
CREATE INDEX ${runs}_started_idx ON ${runs} (started_at, run_id);
CREATE INDEX ${runs}_running_idx ON ${runs} (started_at, run_id) WHERE status = 'RUNNING';
CREATE TABLE ${counts} (
  run_id     text    PRIMARY KEY,
  processing integer NOT NULL,
  paid       integer NOT NULL,
  failed     integer NOT NULL,
  unknown    integer NOT NULL
);
CREATE TABLE ${attempts} (
  invoice_id    text    NOT NULL,
  attempt       integer NOT NULL,
  run_id        text    NOT NULL,
  outcome       text    NOT NULL,
  provider_said text,
  resolved_as   text,
  PRIMARY KEY (invoice_id, attempt)
);
CREATE INDEX ${attempts}_run_idx ON ${attempts} (run_id);`;
}
