import { Global, Module } from '@nestjs/common';
import { BILLING_RUN_READ_MODEL } from '../src/api/read-models/billing-run-read-model.port';
import { CUSTOMER_READ_MODEL } from '../src/api/read-models/customer-read-model.port';
import { INVOICE_READ_MODEL } from '../src/api/read-models/invoice-read-model.port';
import { INVOICE_STATUS_COUNTS } from '../src/api/read-models/invoice-status-counts.port';
import {
  BILLING_RUN_PROGRESS,
  INVOICE_SCAN,
  PROJECTION_STATUS,
} from '../src/billing/engine/billing-read-model.port';
import { CHARGE_RATE_LIMIT } from '../src/billing/engine/charge-rate-limit.port';
import { INVOICE_COUNTS } from '../src/cli/invoice-counts.port';
import { SQL_DATABASE } from '../src/database/database.module';
import type { SqlDatabase } from '../src/database/sql-database';
import { ALL_PROJECTIONS } from './all-projections';
import { SqlBillingRunProgress } from './billing-runs/sql-billing-run-progress';
import { SqlBillingRunReadModel } from './billing-runs/sql-billing-run-read-model';
import { SqlCustomerReadModel } from './customers/sql-customer-read-model';
import { SqlInvoiceReadModel } from './invoices/sql-invoice-read-model';
import { ProjectionsRunner } from './projections-runner';
import { SqlChargeRateLimit } from './rate-limit/sql-charge-rate-limit';
import { SqlProjectionStatus } from './status/sql-projection-status';

/**
 * The read side: the read-model ports its users declare (the REST views in
 * src/api/read-models, the billing engine's in billing-read-model.port.ts, the CLI's) on
 * SQL_DATABASE, fed by the projectors the runner starts. One object serves a user's port
 * and the engine's where both read the same table the same way (the billing runs: not
 * so, the engine polls a lean view). Needs the global SQL_DATABASE and
 * EVENT_STORE providers. Global: the REST queries and the billing engine both read here.
 */
@Global()
@Module({
  providers: [
    ProjectionsRunner,
    {
      provide: INVOICE_READ_MODEL,
      inject: [SQL_DATABASE],
      useFactory: (db: SqlDatabase) => new SqlInvoiceReadModel(db),
    },
    {
      provide: CUSTOMER_READ_MODEL,
      inject: [SQL_DATABASE],
      useFactory: (db: SqlDatabase) => new SqlCustomerReadModel(db),
    },
    {
      provide: BILLING_RUN_READ_MODEL,
      inject: [SQL_DATABASE],
      useFactory: (db: SqlDatabase) => new SqlBillingRunReadModel(db),
    },
    {
      // Its own object: the REST view's sum of the money collected grows with the run.
      provide: BILLING_RUN_PROGRESS,
      inject: [SQL_DATABASE],
      useFactory: (db: SqlDatabase) => new SqlBillingRunProgress(db),
    },
    { provide: INVOICE_SCAN, useExisting: INVOICE_READ_MODEL },
    { provide: INVOICE_COUNTS, useExisting: INVOICE_READ_MODEL },
    { provide: INVOICE_STATUS_COUNTS, useExisting: INVOICE_READ_MODEL },
    {
      // Not a read model: the bucket every instance shares, beside them (migration 6).
      provide: CHARGE_RATE_LIMIT,
      inject: [SQL_DATABASE],
      useFactory: (db: SqlDatabase) => new SqlChargeRateLimit(db),
    },
    {
      provide: PROJECTION_STATUS,
      inject: [SQL_DATABASE, ProjectionsRunner],
      useFactory: (db: SqlDatabase, runner: ProjectionsRunner) =>
        new SqlProjectionStatus(
          db,
          ALL_PROJECTIONS.map((projection) => projection.name),
          (name) => runner.isActiveHere(name),
        ),
    },
  ],
  exports: [
    ProjectionsRunner,
    INVOICE_READ_MODEL,
    CUSTOMER_READ_MODEL,
    BILLING_RUN_READ_MODEL,
    INVOICE_SCAN,
    BILLING_RUN_PROGRESS,
    INVOICE_COUNTS,
    INVOICE_STATUS_COUNTS,
    PROJECTION_STATUS,
    CHARGE_RATE_LIMIT,
  ],
})
export class ProjectionsModule {}
