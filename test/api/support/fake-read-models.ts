import type { InvoiceStatus } from '../../../src/billing/domain';
import type {
  BillingRunReadModel,
  BillingRunView,
  CustomerReadModel,
  CustomerView,
  FailureView,
  InvoicePage,
  InvoicePageRequest,
  InvoiceReadModel,
  InvoiceRef,
  InvoiceSnapshot,
  InvoiceView,
  Page,
  PageRequest,
} from '../../../projections/read-models';
import { compareIds, type FakeWorld } from './fake-world';

function paginate<T>(all: readonly T[], { page, size }: PageRequest): Page<T> {
  return { items: all.slice(page * size, page * size + size), page, size, total: all.length };
}

/** As the SQL read model pages: by number, or the `size` after the cursor, with `next`. */
function invoicePage(all: readonly InvoiceView[], request: InvoicePageRequest): InvoicePage {
  const start =
    request.after === undefined
      ? request.page * request.size
      : all.findIndex((invoice) => compareIds(invoice.invoiceId, request.after) > 0);
  const from = start < 0 ? all.length : start;
  const items = all.slice(from, from + request.size);
  const more = from + request.size < all.length;
  return {
    items,
    page: request.after === undefined ? request.page : null,
    size: request.size,
    total: all.length,
    next: more ? items[items.length - 1].invoiceId : null,
  };
}

export class FakeInvoiceReadModel implements InvoiceReadModel {
  constructor(private readonly world: FakeWorld) {}

  async list(request: InvoicePageRequest): Promise<InvoicePage> {
    this.world.check();
    return invoicePage(this.sorted(), request);
  }

  async byStatus(status: InvoiceStatus, request: InvoicePageRequest): Promise<InvoicePage> {
    this.world.check();
    return invoicePage(
      this.sorted().filter((invoice) => invoice.status === status),
      request,
    );
  }

  async get(invoiceId: string): Promise<InvoiceView | null> {
    this.world.check();
    return this.world.invoices.get(invoiceId) ?? null;
  }

  async failures(invoiceId: string): Promise<FailureView[] | null> {
    this.world.check();
    if (!this.world.invoices.has(invoiceId)) return null;
    return this.world.failures.get(invoiceId) ?? [];
  }

  async scanByStatus(): Promise<InvoiceSnapshot[]> {
    throw new Error('not used by the API');
  }

  async randomInStatus(): Promise<string | null> {
    throw new Error('not used by the API');
  }

  async staleAttempts(): Promise<InvoiceRef[]> {
    throw new Error('not used by the API');
  }

  async countByStatus(): Promise<Record<InvoiceStatus, number>> {
    throw new Error('not used by the API');
  }

  private sorted(): InvoiceView[] {
    return [...this.world.invoices.values()].sort((a, b) => compareIds(a.invoiceId, b.invoiceId));
  }
}

export class FakeCustomerReadModel implements CustomerReadModel {
  constructor(private readonly world: FakeWorld) {}

  async list(page: PageRequest): Promise<Page<CustomerView>> {
    this.world.check();
    const all = [...this.world.customers.values()].sort((a, b) =>
      compareIds(a.customerId, b.customerId),
    );
    return paginate(all, page);
  }

  async get(customerId: string): Promise<CustomerView | null> {
    this.world.check();
    return this.world.customers.get(customerId) ?? null;
  }
}

export class FakeBillingRunReadModel implements BillingRunReadModel {
  constructor(private readonly world: FakeWorld) {}

  async list(page: PageRequest): Promise<Page<BillingRunView>> {
    this.world.check();
    const newestFirst = [...this.world.runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return paginate(newestFirst, page);
  }

  async get(runId: string): Promise<BillingRunView | null> {
    this.world.check();
    return this.world.runs.find((run) => run.runId === runId) ?? null;
  }

  async running(): Promise<BillingRunView[]> {
    throw new Error('not used by the API');
  }
}
