import { ALL_PROJECTIONS } from '../../projections/all-projections';
import { compareWithReplay } from '../../projections/audit/compare-with-replay';
import { SqlBillingRunProgress } from '../../projections/billing-runs/sql-billing-run-progress';
import { SqlBillingRunReadModel } from '../../projections/billing-runs/sql-billing-run-read-model';
import { SqlCustomerReadModel } from '../../projections/customers/sql-customer-read-model';
import { SqlInvoiceReadModel } from '../../projections/invoices/sql-invoice-read-model';
import { Projector } from '../../projections/projector/projector';
import type { SqlDatabase } from '../../src/database/sql-database';
import {
  RecordingLogger,
  expectReadModelsEqualReplay,
  openBackend,
  projectionStatus,
} from './projection-test-kit';
import { backendsWith, type BackendWith } from '../support/backends';
import { describeReadModelContract, type ReadModelSubject } from './read-model.contract';

interface SqlReadModels extends ReadModelSubject {
  readonly db: SqlDatabase;
}

/** The SQL read models, fed by every projector from the events beside them. */
async function openSqlReadModels(backend: BackendWith<'openStore'>): Promise<SqlReadModels> {
  const open = await openBackend(backend, 'read_models');
  const projectors = ALL_PROJECTIONS.map(
    (projection) =>
      new Projector(open.db, open.store, projection, {
        leaseRetryMs: 50,
        batchSize: 5, // several batches, boundaries inside streams
        logger: new RecordingLogger(),
      }),
  );
  return {
    db: open.db,
    store: open.store,
    invoices: new SqlInvoiceReadModel(open.db),
    customers: new SqlCustomerReadModel(open.db),
    billingRuns: new SqlBillingRunReadModel(open.db),
    runProgress: new SqlBillingRunProgress(open.db),
    status: projectionStatus(open.db),
    start: () => projectors.forEach((projector) => projector.start()),
    close: async () => {
      await Promise.all(projectors.map((projector) => projector.stop()));
      await open.close();
    },
  };
}

describe.each(backendsWith('openStore'))('read models on $name', (backend) => {
  describeReadModelContract(
    `SQL on ${backend.name}`,
    () => openSqlReadModels(backend),
    (subject, lastPosition) => {
      it('keeps the status counts equal to the invoices, and the audit catches a drift', async () => {
        const counted = await subject().db.query<{ status: string; invoices: string }>(
          'SELECT status, count(*)::text AS invoices FROM invoices GROUP BY status',
        );
        const kept = await subject().db.query<{ status: string; invoices: string }>(
          'SELECT status, invoices::text AS invoices FROM invoice_status_counts WHERE invoices <> 0',
        );
        const byStatus = (rows: { status: string; invoices: string }[]) =>
          Object.fromEntries(rows.map((row) => [row.status, row.invoices]));
        expect(byStatus(kept)).toEqual(byStatus(counted));

        await subject().db.query(
          `UPDATE invoice_status_counts SET invoices = invoices + 1 WHERE status = 'PAID'`,
        );
        try {
          const reports = await compareWithReplay(subject().db, subject().store);
          const report = reports.find((each) => each.projection === 'invoices');
          expect(report).toMatchObject({ ok: false, differenceCount: 1 });
          expect(report?.differences).toEqual([
            { key: 'count PAID', expected: '["4"]', actual: '["5"]' },
          ]);
        } finally {
          await subject().db.query(
            `UPDATE invoice_status_counts SET invoices = invoices - 1 WHERE status = 'PAID'`,
          );
        }
      });

      it('equals a replay of the log, and reports the projectors active here', async () => {
        await expectReadModelsEqualReplay(subject().db, subject().store);
        const states = await projectionStatus(subject().db).states();
        expect(states.map((state) => state.checkpoint)).toEqual(states.map(() => lastPosition()));
      });
    },
  );
});
