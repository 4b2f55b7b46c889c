import { invoiceEventsOf } from '../invoice-events-of';
import type { Projection, TableNames } from '../projection';
import { idOrderColumn } from '../sql/id-order';
import { upsertRows, type Column } from '../sql/upsert-rows';

const COLUMNS: readonly Column[] = [
  ['customer_id', 'text'],
  ['currency', 'text'],
  ['invoices', 'integer'],
];

function schema(names: TableNames): string {
  const t = names('customers');
  return `
CREATE TABLE ${t} (
  customer_id text    PRIMARY KEY,
  ${idOrderColumn('customer_id')},
  currency    text    NOT NULL,
  invoices    integer NOT NULL
);
CREATE UNIQUE INDEX ${t}_id_order_idx ON ${t} (id_order);`;
}

/**
 * Customers as their invoices name them: the currency of their first invoice and how
 * many invoices they were issued. Counts add up per batch, so this projection relies on
 * the guarded checkpoint alone never to count an event twice.
 */
export const customersProjection: Projection = {
  name: 'customers',
  tables: ['customers'],
  schema,
  async apply(tx, events, names) {
    const issued = new Map<string, { customer_id: string; currency: string; invoices: number }>();
    for (const { event } of invoiceEventsOf(events)) {
      if (event.type !== 'InvoiceIssued') continue;
      const { customerId, amount } = event.data;
      const row = issued.get(customerId);
      if (row) row.invoices += 1;
      else
        issued.set(customerId, { customer_id: customerId, currency: amount.currency, invoices: 1 });
    }
    const t = names('customers');
    await upsertRows(
      tx,
      {
        table: t,
        columns: COLUMNS,
        conflict: '(customer_id)',
        update: `invoices = ${t}.invoices + excluded.invoices`,
      },
      [...issued.values()],
    );
  },
};
