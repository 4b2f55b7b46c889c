import type { Migration } from '../../src/database/migrate';

/**
 * What clients send beside the facts billing needs: an invoice's due date (billing runs
 * scan on it) and description, a customer's name and email. Invoices are backfilled from
 * the folded state each row keeps. Customer rows keep no state: customers registered
 * before this migration show their name and email after `projections rebuild`. Frozen,
 * like every migration that shipped (README.md here).
 */
export const INGESTED_FIELDS_MIGRATION: Migration = {
  version: 4,
  name: 'ingested fields',
  sql: `
ALTER TABLE invoices ADD COLUMN due_date date, ADD COLUMN description text;
UPDATE invoices SET due_date = (state->>'dueDate')::date, description = state->>'description'
 WHERE state->>'dueDate' IS NOT NULL OR state->>'description' IS NOT NULL;
ALTER TABLE customers ADD COLUMN name text, ADD COLUMN email text;`,
};
