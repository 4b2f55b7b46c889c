import { parseCustomerStream, type CustomerRegistered } from '../../src/billing/domain';
import { invoiceEventsOf } from '../invoice-events-of';
import type { Projection, TableNames } from '../projection';
import { idOrderColumn } from '../sql/id-order';
import { upsertRows, type Column } from '../sql/upsert-rows';

const COLUMNS: readonly Column[] = [
  ['customer_id', 'text'],
  ['currency', 'text'],
  ['invoices', 'integer'],
  ['name', 'text'],
  ['email', 'text'],
];

function schema(names: TableNames): string {
  const t = names('customers');
  return `
CREATE TABLE ${t} (
  customer_id text    PRIMARY KEY,
  ${idOrderColumn('customer_id')},
  currency    text    NOT NULL,
  invoices    integer NOT NULL,
  name        text,
  email       text
);
CREATE UNIQUE INDEX ${t}_id_order_idx ON ${t} (id_order);`;
}

type CustomerRow = {
  customer_id: string;
  currency: string;
  invoices: number;
  name: string | null;
  email: string | null;
};

/**
 * Customers as registered (CustomerRegistered: currency, name, email), or, in logs
 * written before registration existed, as their invoices name them (the currency of their
 * first invoice); and how many invoices they were issued. Counts add up per batch, so
 * this projection relies on the guarded checkpoint alone never to count an event twice.
 */
export const customersProjection: Projection = {
  name: 'customers',
  tables: ['customers'],
  schema,
  async apply(tx, events, names) {
    const rows = new Map<string, CustomerRow>();
    const row = (customerId: string, currency: string) => {
      const found = rows.get(customerId);
      if (found) return found;
      const added = { customer_id: customerId, currency, invoices: 0, name: null, email: null };
      rows.set(customerId, added);
      return added;
    };
    for (const recorded of events) {
      if (recorded.type !== 'CustomerRegistered' || parseCustomerStream(recorded.stream) === null)
        continue;
      const { customerId, currency, name, email } = recorded.data as CustomerRegistered['data'];
      Object.assign(row(customerId, currency), { name: name ?? null, email: email ?? null });
    }
    for (const { event } of invoiceEventsOf(events)) {
      if (event.type !== 'InvoiceIssued') continue;
      row(event.data.customerId, event.data.amount.currency).invoices += 1;
    }
    const t = names('customers');
    await upsertRows(
      tx,
      {
        table: t,
        columns: COLUMNS,
        conflict: '(customer_id)',
        // A row made by an invoice alone has no name: it never erases the registration's.
        update: `invoices = ${t}.invoices + excluded.invoices,
          name = coalesce(excluded.name, ${t}.name), email = coalesce(excluded.email, ${t}.email)`,
      },
      [...rows.values()],
    );
  },
};
