import type { Currency } from '../../src/billing/domain';
import type { SqlQueryable } from '../../src/database/sql-database';
import type {
  CustomerReadModel,
  CustomerView,
} from '../../src/api/read-models/customer-read-model.port';
import type { Page, PageRequest } from '../../src/shared/page';
import { pageBounds, toPage } from '../sql/paging';

interface CustomerRow {
  customer_id: string;
  currency: Currency;
  invoices: number;
  name: string | null;
  email: string | null;
}

const COLUMNS = 'customer_id, currency, invoices, name, email';

/** Customers in id order ("2" before "10"). */
export class SqlCustomerReadModel implements CustomerReadModel {
  constructor(private readonly db: SqlQueryable) {}

  async list(page: PageRequest): Promise<Page<CustomerView>> {
    const { limit, offset } = pageBounds(page);
    const [rows, [{ total }]] = await Promise.all([
      this.db.query<CustomerRow>(
        `SELECT ${COLUMNS} FROM customers ORDER BY id_order LIMIT $1 OFFSET $2`,
        [limit, offset],
      ),
      this.db.query<{ total: bigint }>('SELECT count(*) AS total FROM customers'),
    ]);
    return toPage(page, rows.map(toView), Number(total));
  }

  async get(customerId: string): Promise<CustomerView | null> {
    const [row] = await this.db.query<CustomerRow>(
      `SELECT ${COLUMNS} FROM customers WHERE customer_id = $1`,
      [customerId],
    );
    return row ? toView(row) : null;
  }
}

function toView(row: CustomerRow): CustomerView {
  return {
    customerId: row.customer_id,
    currency: row.currency,
    invoices: row.invoices,
    name: row.name,
    email: row.email,
  };
}
