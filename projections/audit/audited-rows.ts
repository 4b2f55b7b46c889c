import type { SqlQueryable } from '../../src/database/sql-database';
import { attemptStanding, ATTEMPT_STANDINGS } from '../billing-runs/attempt-standing';
import { toFailureRow } from '../invoice-failures/invoice-failures.projection';
import { invoiceEventsOf } from '../invoice-events-of';
import { INVOICE_COLUMNS, toInvoiceRow } from '../invoices/invoice-row';
import type { ReplayedLog } from './replayed-log';

/** Rows by key, each as a normalised JSON string: what is compared. */
export type KeyedRows = Map<string, string>;

/** How to read one projection's rows and how to derive them from a replay. */
export interface AuditedTables {
  readonly projection: string;
  actual(tx: SqlQueryable): Promise<KeyedRows>;
  expected(replay: ReplayedLog): KeyedRows;
}

const INVOICE_FIELDS = INVOICE_COLUMNS.map(([name]) => name).filter((name) => name !== 'state');
/** Compared as instants: every timestamptz column of the invoices, and the other tables' times. */
const TIMESTAMPS = new Set([
  ...INVOICE_COLUMNS.filter(([, type]) => type === 'timestamptz').map(([name]) => name),
  'failed_at',
  'started_at',
  'completed_at',
]);

/** One canonical text per row: timestamps as ISO instants, bigints and numbers as text. */
function canonical(row: Record<string, unknown>, fields: readonly string[]): string {
  return JSON.stringify(
    fields.map((field) => {
      const value = row[field];
      if (value === null || value === undefined) return null;
      if (TIMESTAMPS.has(field)) return new Date(value as string | Date).toISOString();
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    }),
  );
}

async function select(
  tx: SqlQueryable,
  sql: string,
  key: (row: Record<string, unknown>) => string,
  fields: readonly string[],
): Promise<KeyedRows> {
  const rows = await tx.query<Record<string, unknown>>(sql);
  return new Map(rows.map((row) => [key(row), canonical(row, fields)]));
}

/**
 * The invoice rows and the status counts kept beside them (keys `count <STATUS>`: no
 * invoice id has a space). Counts at 0 are left out on both sides: a row at 0 and no
 * row mean the same.
 */
const invoices: AuditedTables = {
  projection: 'invoices',
  actual: async (tx) => {
    const rows = await select(
      tx,
      `SELECT ${INVOICE_FIELDS.join(', ')}, amount_value::text AS amount_value,
              to_char(due_date, 'YYYY-MM-DD') AS due_date FROM invoices`,
      (row) => String(row.invoice_id),
      INVOICE_FIELDS,
    );
    const counts = await select(
      tx,
      'SELECT status, invoices FROM invoice_status_counts WHERE invoices <> 0',
      (row) => `count ${row.status}`,
      ['invoices'],
    );
    return new Map([...rows, ...counts]);
  },
  expected: (replay) => {
    const rows: KeyedRows = new Map();
    const counts = new Map<string, number>();
    for (const [id, { state, revision, updatedAt }] of replay.invoices) {
      if (!state.exists) continue;
      rows.set(id, canonical(toInvoiceRow(state, revision, updatedAt), INVOICE_FIELDS));
      counts.set(state.status, (counts.get(state.status) ?? 0) + 1);
    }
    for (const [status, invoices] of counts)
      rows.set(`count ${status}`, canonical({ invoices }, ['invoices']));
    return rows;
  },
};

const FAILURE_FIELDS = ['attempt', 'outcome', 'reason', 'message', 'retryable', 'failed_at'];
const failures: AuditedTables = {
  projection: 'invoice_failures',
  actual: (tx) =>
    select(
      tx,
      'SELECT * FROM invoice_failures',
      (row) => `${row.invoice_id}@${row.revision}`,
      FAILURE_FIELDS,
    ),
  expected: (replay) =>
    new Map(
      invoiceEventsOf(replay.invoiceEvents)
        .flatMap(toFailureRow)
        .map((row) => [`${row.invoice_id}@${row.revision}`, canonical(row, FAILURE_FIELDS)]),
    ),
};

const RUN_FIELDS = ['period', 'trigger', 'status', 'started_at', 'completed_at'];
const runs: AuditedTables = {
  projection: 'billing_runs',
  actual: async (tx) => {
    const started = await select(
      tx,
      'SELECT * FROM billing_runs',
      (row) => `run ${row.run_id}`,
      RUN_FIELDS,
    );
    const counts = await select(
      tx,
      'SELECT * FROM billing_run_counts',
      (row) => `counts ${row.run_id}`,
      ATTEMPT_STANDINGS,
    );
    return new Map([...started, ...counts]);
  },
  expected: (replay) => {
    const rows: KeyedRows = new Map();
    for (const run of replay.runs.values()) {
      if (!run.exists) continue;
      const { runId, period, trigger, status, startedAt, completedAt } = run;
      rows.set(
        `run ${runId}`,
        canonical(
          { period, trigger, status, started_at: startedAt, completed_at: completedAt },
          RUN_FIELDS,
        ),
      );
    }
    // Counted from the domain's own attempt records, not from the projection's rules.
    const counts = new Map<string, Record<string, number>>();
    for (const { state } of replay.invoices.values()) {
      if (!state.exists) continue;
      for (const record of state.attempts) {
        const count = counts.get(record.runId) ?? { processing: 0, paid: 0, failed: 0, unknown: 0 };
        count[attemptStanding(record)] += 1;
        counts.set(record.runId, count);
      }
    }
    for (const [runId, count] of counts)
      rows.set(`counts ${runId}`, canonical(count, ATTEMPT_STANDINGS));
    return rows;
  },
};

const CUSTOMER_FIELDS = ['currency', 'invoices', 'name', 'email'];

interface CustomerFacts {
  currency: string;
  invoices: number;
  name: string | null;
  email: string | null;
}

/** Customers as registered, with the invoices issued to them (or known from those alone). */
const customers: AuditedTables = {
  projection: 'customers',
  actual: (tx) =>
    select(tx, 'SELECT * FROM customers', (row) => String(row.customer_id), CUSTOMER_FIELDS),
  expected: (replay) => {
    const found = new Map<string, CustomerFacts>();
    for (const { customerId, currency, name, email } of replay.customers.values()) {
      found.set(customerId, { currency, invoices: 0, name: name ?? null, email: email ?? null });
    }
    for (const { state } of replay.invoices.values()) {
      if (!state.exists) continue;
      const customer = found.get(state.customerId);
      if (customer) customer.invoices += 1;
      else {
        const currency = state.amount.currency;
        found.set(state.customerId, { currency, invoices: 1, name: null, email: null });
      }
    }
    return new Map([...found].map(([id, row]) => [id, canonical({ ...row }, CUSTOMER_FIELDS)]));
  },
};

export const AUDITED_TABLES: readonly AuditedTables[] = [invoices, failures, runs, customers];
