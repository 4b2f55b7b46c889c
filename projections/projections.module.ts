import { Global, Module } from '@nestjs/common';
import { SQL_DATABASE } from '../src/database/database.module';
import type { SqlDatabase } from '../src/database/sql-database';
import { ALL_PROJECTIONS } from './all-projections';
import { SqlBillingRunReadModel } from './billing-runs/sql-billing-run-read-model';
import { SqlCustomerReadModel } from './customers/sql-customer-read-model';
import { SqlInvoiceReadModel } from './invoices/sql-invoice-read-model';
import { ProjectionsRunner } from './projections-runner';
import {
  BILLING_RUN_READ_MODEL,
  CUSTOMER_READ_MODEL,
  INVOICE_READ_MODEL,
  PROJECTION_STATUS,
} from './read-models';
import { SqlProjectionStatus } from './status/sql-projection-status';

/**
 * The read side: the four read-model ports on SQL_DATABASE, fed by the projectors the
 * runner starts. Needs the global SQL_DATABASE and EVENT_STORE providers. Global: the
 * REST queries and the billing engine both read through these ports.
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
  exports: [INVOICE_READ_MODEL, CUSTOMER_READ_MODEL, BILLING_RUN_READ_MODEL, PROJECTION_STATUS],
})
export class ProjectionsModule {}
