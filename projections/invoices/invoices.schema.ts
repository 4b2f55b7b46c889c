import type { TableNames } from '../projection';
import { idOrderColumn } from '../sql/id-order';

/**
 * One row per invoice. `state` is the domain's folded state (what evolveInvoice needs
 * for the next event); the other columns are read from it for queries and indexes
 * (`due_date`: a billing run scans the PENDING invoices due by its billing date).
 */
export function invoicesSchema(names: TableNames): string {
  const t = names('invoices');
  return `
CREATE TABLE ${t} (
  invoice_id             text          PRIMARY KEY,
  ${idOrderColumn('invoice_id')},
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
  state                  jsonb         NOT NULL,
  due_date               date,
  description            text,
  next_retry_at          timestamptz,
  retries_left           integer,
  retries_exhausted      boolean       NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX ${t}_id_order_idx ON ${t} (id_order);
CREATE INDEX ${t}_status_id_order_idx ON ${t} (status, id_order);
CREATE INDEX ${t}_stale_idx ON ${t} (processing_since) WHERE status = 'PROCESSING';
CREATE INDEX ${t}_retry_due_idx ON ${t} (next_retry_at) WHERE next_retry_at IS NOT NULL;
CREATE INDEX ${t}_retries_exhausted_idx ON ${t} (id_order) WHERE retries_exhausted;`;
}
