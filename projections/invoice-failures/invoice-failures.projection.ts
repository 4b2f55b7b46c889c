import { classifyFailure } from '../../src/billing/domain';
import { invoiceEventsOf, type RecordedInvoiceEvent } from '../invoice-events-of';
import type { Projection, TableNames } from '../projection';
import { upsertRows, type Column } from '../sql/upsert-rows';

const COLUMNS: readonly Column[] = [
  ['invoice_id', 'text'],
  ['revision', 'bigint'],
  ['attempt', 'integer'],
  ['outcome', 'text'],
  ['reason', 'text'],
  ['message', 'text'],
  ['retryable', 'boolean'],
  ['failed_at', 'timestamptz'],
];

function schema(names: TableNames): string {
  const t = names('invoice_failures');
  return `
CREATE TABLE ${t} (
  invoice_id text        NOT NULL,
  revision   bigint      NOT NULL,
  attempt    integer     NOT NULL,
  outcome    text        NOT NULL,
  reason     text        NOT NULL,
  message    text        NOT NULL,
  retryable  boolean     NOT NULL,
  failed_at  timestamptz NOT NULL,
  PRIMARY KEY (invoice_id, revision)
);`;
}

/**
 * Every failure of an invoice, oldest first: each ChargeFailed, and each
 * ChargeOutcomeUnknown (never retryable: money may have moved). Keyed by the event's
 * stream revision, so the history is append-only and in the stream's order.
 */
export const invoiceFailuresProjection: Projection = {
  name: 'invoice_failures',
  tables: ['invoice_failures'],
  schema,
  async apply(tx, events, names) {
    const rows = invoiceEventsOf(events).flatMap(toFailureRow);
    await upsertRows(
      tx,
      { table: names('invoice_failures'), columns: COLUMNS, conflict: '(invoice_id, revision)' },
      rows,
    );
  },
};

/** The failure-history row of an event, or none. */
export function toFailureRow({
  invoiceId,
  recorded,
  event,
}: RecordedInvoiceEvent): Record<string, unknown>[] {
  const base = { invoice_id: invoiceId, revision: recorded.revision };
  if (event.type === 'ChargeFailed') {
    const { attempt, reason, message, retryable, failedAt } = event.data;
    return [
      { ...base, attempt, outcome: 'FAILED', reason, message, retryable, failed_at: failedAt },
    ];
  }
  if (event.type === 'ChargeOutcomeUnknown') {
    const { attempt, reason, message, at } = event.data;
    const { retryable } = classifyFailure(reason);
    return [{ ...base, attempt, outcome: 'UNKNOWN', reason, message, retryable, failed_at: at }];
  }
  return [];
}
