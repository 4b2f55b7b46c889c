import type { Migration } from '../../src/database/migrate';
import { migrate } from '../../src/database/migrate';
import type { SqlDatabase } from '../../src/database/sql-database';
import { INITIAL_READ_MODELS_MIGRATION } from './0001-initial-read-models.migration';
import { INVOICE_STATUS_COUNTS_MIGRATION } from './0002-invoice-status-counts.migration';
import { IDEMPOTENCY_KEYS_MIGRATION } from './0003-idempotency-keys.migration';
import { INGESTED_FIELDS_MIGRATION } from './0004-ingested-fields.migration';
import { RETRY_SCHEDULE_MIGRATION } from './0005-retry-schedule.migration';
import { CHARGE_RATE_LIMIT_MIGRATION } from './0006-charge-rate-limit.migration';

/**
 * The read models' tables, as literal SQL that never changes once shipped. A projection's
 * `schema()` is what a rebuild creates beside the live tables; the schema snapshot test
 * (test/database/schema-snapshot.int.spec.ts) fails until both agree. How to add one:
 * README.md in this folder.
 */
export const READ_MODEL_MIGRATIONS: readonly Migration[] = [
  INITIAL_READ_MODELS_MIGRATION,
  INVOICE_STATUS_COUNTS_MIGRATION,
  IDEMPOTENCY_KEYS_MIGRATION,
  INGESTED_FIELDS_MIGRATION,
  RETRY_SCHEDULE_MIGRATION,
  CHARGE_RATE_LIMIT_MIGRATION,
];

export function migrateReadModels(db: SqlDatabase): Promise<number[]> {
  return migrate(db, 'read-models', READ_MODEL_MIGRATIONS);
}
