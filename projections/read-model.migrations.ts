import type { Migration } from '../src/database/migrate';
import { migrate } from '../src/database/migrate';
import type { SqlDatabase } from '../src/database/sql-database';
import { billingRunsSchema } from './billing-runs/billing-runs.schema';
import { CHECKPOINTS_SCHEMA } from './checkpoints/checkpoints';
import { customersProjection } from './customers/customers.projection';
import { invoiceFailuresProjection } from './invoice-failures/invoice-failures.projection';
import { INVOICE_STATUS_COUNTS_MIGRATION } from './invoices/invoice-status-counts.migration';
import { invoicesSchema } from './invoices/invoices.schema';
import { LIVE_TABLES } from './projection';

/**
 * The read models' tables. Each projection's `schema()` is also what a rebuild creates
 * beside the live tables, so a change to a table is two edits: its schema() and a new
 * migration here that brings existing live tables to the same shape.
 */
export const READ_MODEL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'checkpoints, invoices, failures, billing runs, customers',
    sql: [
      CHECKPOINTS_SCHEMA,
      invoicesSchema(LIVE_TABLES),
      invoiceFailuresProjection.schema(LIVE_TABLES),
      billingRunsSchema(LIVE_TABLES),
      customersProjection.schema(LIVE_TABLES),
    ].join('\n'),
  },
  INVOICE_STATUS_COUNTS_MIGRATION,
];

export function migrateReadModels(db: SqlDatabase): Promise<number[]> {
  return migrate(db, 'read-models', READ_MODEL_MIGRATIONS);
}
