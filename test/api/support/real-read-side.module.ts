import {
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ALL_PROJECTIONS } from '../../../projections/all-projections';
import { SqlBillingRunReadModel } from '../../../projections/billing-runs/sql-billing-run-read-model';
import { SqlCustomerReadModel } from '../../../projections/customers/sql-customer-read-model';
import { SqlInvoiceReadModel } from '../../../projections/invoices/sql-invoice-read-model';
import { Projector } from '../../../projections/projector/projector';
import { migrateReadModels } from '../../../projections/read-model.migrations';
import {
  BILLING_RUN_READ_MODEL,
  CUSTOMER_READ_MODEL,
  INVOICE_READ_MODEL,
  PROJECTION_STATUS,
} from '../../../projections/read-models';
import { SqlProjectionStatus } from '../../../projections/status/sql-projection-status';
import { SQL_DATABASE } from '../../../src/database/database.module';
import type { SqlDatabase } from '../../../src/database/sql-database';
import { EVENT_STORE, type EventStore } from '../../../src/event-store/event-store.port';

const PROJECTORS = Symbol('PROJECTORS');
const NAMES = ALL_PROJECTIONS.map((projection) => projection.name);

/**
 * The real read side (SQL read models fed by the real projectors), wired for the API's
 * end-to-end test. Stands in for projections' own Nest module until it exists.
 */
@Global()
@Module({
  providers: [
    {
      provide: PROJECTORS,
      inject: [SQL_DATABASE, EVENT_STORE],
      useFactory: async (db: SqlDatabase, store: EventStore) => {
        await migrateReadModels(db);
        return ALL_PROJECTIONS.map(
          (projection) => new Projector(db, store, projection, { leaseRetryMs: 50 }),
        );
      },
    },
    {
      provide: INVOICE_READ_MODEL,
      inject: [SQL_DATABASE, PROJECTORS],
      useFactory: (db: SqlDatabase) => new SqlInvoiceReadModel(db),
    },
    {
      provide: CUSTOMER_READ_MODEL,
      inject: [SQL_DATABASE, PROJECTORS],
      useFactory: (db: SqlDatabase) => new SqlCustomerReadModel(db),
    },
    {
      provide: BILLING_RUN_READ_MODEL,
      inject: [SQL_DATABASE, PROJECTORS],
      useFactory: (db: SqlDatabase) => new SqlBillingRunReadModel(db),
    },
    {
      provide: PROJECTION_STATUS,
      inject: [SQL_DATABASE, PROJECTORS],
      useFactory: (db: SqlDatabase) => new SqlProjectionStatus(db, NAMES),
    },
  ],
  exports: [INVOICE_READ_MODEL, CUSTOMER_READ_MODEL, BILLING_RUN_READ_MODEL, PROJECTION_STATUS],
})
export class RealReadSideModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(PROJECTORS) private readonly projectors: Projector[]) {}

  onApplicationBootstrap(): void {
    for (const projector of this.projectors) projector.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.projectors.map((projector) => projector.stop()));
  }
}
