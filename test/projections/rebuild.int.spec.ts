import { ALL_PROJECTIONS } from '../../projections/all-projections';
import { DEFAULT_RETRY_POLICY } from '../../src/billing/domain';
import { compareWithReplay } from '../../projections/audit/compare-with-replay';
import { Projector } from '../../projections/projector/projector';
import {
  rebuildProjections,
  type RebuildProgress,
} from '../../projections/rebuild/rebuild-projections';
import type { OpenStore } from '../support/event-store-backends';
import {
  DomainWriter,
  RecordingLogger,
  expectReadModelsEqualReplay,
  openBackend,
  projectionStatus,
} from './projection-test-kit';
import { backendsWith } from '../support/backends';

async function writeInvoices(writer: DomainWriter, from: number, count: number): Promise<void> {
  for (let n = from; n < from + count; n += 1) {
    const id = String(n);
    await writer.issue(id, `customer-${n % 4}`);
    await writer.claim(id);
    if (n % 3 === 0) await writer.outcome(id, 1, { kind: 'paid' });
    if (n % 3 === 1) await writer.outcome(id, 1, { kind: 'failed', reason: 'INSUFFICIENT_FUNDS' });
  }
}

describe.each(backendsWith('openStore'))('rebuilding projections on $name', (backend) => {
  let open: OpenStore;
  let projectors: Projector[];

  beforeAll(async () => {
    open = await openBackend(backend, 'rebuild');
    projectors = ALL_PROJECTIONS.map(
      (projection) =>
        new Projector(open.db, open.store, projection, {
          leaseRetryMs: 20,
          leaseCheckMs: 20,
          logger: new RecordingLogger(),
        }),
    );
    projectors.forEach((projector) => projector.start());
  });

  afterAll(async () => {
    await Promise.all(projectors.map((projector) => projector.stop()));
    await open.close();
  });

  it('replays beside the live tables, swaps them in, and the live projectors carry on', async () => {
    const writer = new DomainWriter(open.store);
    await writer.run(
      { type: 'StartBillingRun', trigger: 'scheduled', period: '2025-05' },
      '2025-05',
    );
    await writeInvoices(writer, 1, 30);
    const written = (await writer.issue('extra')).position;
    await projectionStatus(open.db).waitFor(written, 20_000);
    // Damage the live read models, as a bug would: the audit sees it, the rebuild mends it.
    await open.db.query(`UPDATE invoices SET status = 'FAILED' WHERE invoice_id = '3'`);
    await open.db.query(`UPDATE customers SET invoices = invoices + 5`);
    await open.db.query(`UPDATE invoice_status_counts SET invoices = invoices + 7`);
    // (The audit compares the counts with the replay too: the rebuild must mend them.)
    const before = await compareWithReplay(open.db, open.store);
    expect(
      before
        .filter((report) => !report.ok)
        .map((report) => report.projection)
        .sort(),
    ).toEqual(['customers', 'invoices']);

    const progress: RebuildProgress[] = [];
    const result = await rebuildProjections(open.db, open.store, undefined, (each) =>
      progress.push(each),
    );
    expect(result.projections).toEqual(ALL_PROJECTIONS.map((projection) => projection.name));
    expect(progress.length).toBeGreaterThan(0);
    const last = progress[progress.length - 1];
    expect(last).toEqual({ phase: 'swapped', done: result.events, total: result.events });
    expect(result.events).toBeGreaterThanOrEqual(30 * 2 + 2);

    const indexes = await open.db.query<{ indexname: string; tablename: string }>(
      `SELECT indexname, tablename FROM pg_indexes WHERE schemaname = current_schema()`,
    );
    expect(indexes.filter((index) => /__rebuild/.test(index.indexname + index.tablename))).toEqual(
      [],
    );
    expect(indexes.map((index) => index.indexname)).toEqual(
      expect.arrayContaining([
        'invoices_pkey',
        'invoices_stale_idx',
        'invoice_status_counts_pkey',
        'customers_id_order_idx',
      ]),
    );
    await expectReadModelsEqualReplay(open.db, open.store);

    // The live projectors take their leases back and follow the log from the new checkpoint.
    await writeInvoices(writer, 100, 10);
    const after = (await writer.issue('after-rebuild')).position;
    await projectionStatus(open.db).waitFor(after, 20_000);
    await expectReadModelsEqualReplay(open.db, open.store);
  });

  it('audits the retry schedule and the due date as the replay has them', async () => {
    const writer = new DomainWriter(open.store, DEFAULT_RETRY_POLICY);
    await writeInvoices(writer, 300, 6);
    const last = (
      await writer.invoice({
        type: 'IssueInvoice',
        invoiceId: 'due-later',
        customerId: 'customer-1',
        amount: { value: '10.00', currency: 'EUR' },
        dueDate: '2026-12-10',
        description: 'December',
      })
    ).position;
    await projectionStatus(open.db).waitFor(last, 20_000);

    const scheduled = await open.db.query<{ invoice_id: string }>(
      `SELECT invoice_id FROM invoices WHERE next_retry_at IS NOT NULL ORDER BY invoice_id`,
    );
    expect(scheduled.map((row) => row.invoice_id)).toEqual(['301', '304']);
    await expectReadModelsEqualReplay(open.db, open.store);
  });

  it('rebuilds while events keep arriving', async () => {
    const writer = new DomainWriter(open.store);
    const writing = writeInvoices(writer, 200, 20);
    await rebuildProjections(open.db, open.store, ['invoices', 'customers'], undefined, {
      batchSize: 7,
    });
    await writing;
    const last = (await writer.issue('final')).position;
    await projectionStatus(open.db).waitFor(last, 20_000);
    await expectReadModelsEqualReplay(open.db, open.store);
  });

  it('rebuilds the customers as they are live: registrations, names, emails, invoice counts', async () => {
    const writer = new DomainWriter(open.store);
    await writer.register({
      customerId: 'reg-1',
      currency: 'EUR',
      name: 'Acme',
      email: 'a@acme.example',
    });
    await writer.register({ customerId: 'reg-2', currency: 'EUR', name: null, email: null });
    await writer.register({
      customerId: 'reg-3',
      currency: 'EUR',
      name: 'No invoices',
      email: null,
    });
    for (const [id, customerId] of [
      ['r1', 'reg-1'],
      ['r2', 'reg-1'],
      ['r3', 'reg-2'],
    ]) {
      await writer.issue(id, customerId);
    }
    const written = (await writer.issue('r4', 'reg-1')).position;
    await projectionStatus(open.db).waitFor(written, 20_000);
    const customers = () =>
      open.db.query(
        'SELECT customer_id, currency, invoices, name, email FROM customers ORDER BY customer_id',
      );
    const live = await customers();
    expect(live.filter((row) => String(row.customer_id).startsWith('reg-'))).toEqual([
      { customer_id: 'reg-1', currency: 'EUR', invoices: 3, name: 'Acme', email: 'a@acme.example' },
      { customer_id: 'reg-2', currency: 'EUR', invoices: 1, name: null, email: null },
      { customer_id: 'reg-3', currency: 'EUR', invoices: 0, name: 'No invoices', email: null },
    ]);

    await rebuildProjections(open.db, open.store, ['customers']);

    expect(await customers()).toEqual(live);
    await expectReadModelsEqualReplay(open.db, open.store);
  });
});
