import { foldInvoice, invoiceStream } from '../../src/billing/domain';
import { fromRecordedInvoiceEvent } from '../../src/billing/store/invoice-event-data';
import { DEMO_DATA_SET } from '../../src/seed/demo-data-set';
import { seedInvoices, type SeedProgress } from '../../src/seed/seed-invoices';
import { openPgliteStore, type OpenStore } from '../support/event-store-backends';

const context = { now: '2026-11-01T00:00:00.000Z', instanceId: 'test-seeder' };
const options = { ...DEMO_DATA_SET, customers: 3, invoicesPerCustomer: 4, paidPerCustomer: 3 };

describe('seedInvoices', () => {
  let open: OpenStore;
  beforeAll(async () => {
    open = await openPgliteStore();
  });
  afterAll(async () => open?.close());

  it('issues every invoice and pays all but the first of each customer, reporting progress', async () => {
    const progress: SeedProgress[] = [];
    const summary = await seedInvoices(open.store, options, context, (step) => progress.push(step));
    expect(summary).toEqual({ customers: 3, invoices: 12, pending: 3, paid: 9, skipped: 0 });
    expect(progress.at(-1)).toEqual({ invoices: 12, total: 12 });

    const statuses = await Promise.all(
      Array.from({ length: 12 }, async (_, index) => {
        const recorded = await open.store.readStream(invoiceStream(String(index + 1)));
        const state = foldInvoice(recorded.map(fromRecordedInvoiceEvent));
        return state.exists ? state.status : 'MISSING';
      }),
    );
    expect(statuses).toEqual([
      'PENDING',
      'PAID',
      'PAID',
      'PAID',
      'PENDING',
      'PAID',
      'PAID',
      'PAID',
      'PENDING',
      'PAID',
      'PAID',
      'PAID',
    ]);
  });

  it('is a no-op when repeated, and leaves existing invoices alone when seeded again later', async () => {
    expect(await seedInvoices(open.store, options, context)).toMatchObject({ skipped: 0 });
    const later = { ...context, now: '2026-12-01T00:00:00.000Z' };
    expect(await seedInvoices(open.store, options, later)).toMatchObject({
      invoices: 0,
      skipped: 12,
    });
    expect(await open.store.readStream(invoiceStream('2'))).toHaveLength(3);
    expect((await open.store.readStream(invoiceStream('2')))[0].data).toMatchObject({
      issuedAt: context.now,
    });
  });
});
