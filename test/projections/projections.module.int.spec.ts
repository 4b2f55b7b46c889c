import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ProjectionsModule } from '../../projections/projections.module';
import {
  INVOICE_READ_MODEL,
  type InvoiceReadModel,
} from '../../src/api/read-models/invoice-read-model.port';
import {
  PROJECTION_STATUS,
  type ProjectionStatus,
} from '../../src/billing/engine/billing-read-model.port';
import { SQL_DATABASE } from '../../src/database/database.module';
import { EVENT_STORE } from '../../src/event-store/event-store.port';
import { openPgliteStore, type OpenStore } from '../support/event-store-backends';
import { DomainWriter } from './projection-test-kit';

describe('ProjectionsModule', () => {
  let open: OpenStore;
  let app: INestApplicationContext;

  beforeAll(async () => {
    open = await openPgliteStore();
    @Global()
    @Module({
      providers: [
        { provide: SQL_DATABASE, useValue: open.db },
        { provide: EVENT_STORE, useValue: open.store },
      ],
      exports: [SQL_DATABASE, EVENT_STORE],
    })
    class StorageModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [StorageModule, ProjectionsModule],
    }).compile();
    app = await moduleRef.init();
  });

  afterAll(async () => {
    await app.close();
    await open.close();
  });

  it('migrates, projects from bootstrap and serves the read-model tokens', async () => {
    const writer = new DomainWriter(open.store);
    await writer.issue('7');
    const { position } = await writer.claim('7');
    const status = app.get<ProjectionStatus>(PROJECTION_STATUS);
    await status.waitFor(position, 10_000);
    const invoices = app.get<InvoiceReadModel>(INVOICE_READ_MODEL);
    expect(await invoices.get('7')).toMatchObject({ status: 'PROCESSING', attempts: 1 });
    const states = await status.states();
    expect(states.map((state) => [state.name, state.checkpoint, state.activeHere])).toEqual([
      ['invoices', position, true],
      ['invoice_failures', position, true],
      ['billing_runs', position, true],
      ['customers', position, true],
    ]);
  });

  it('times out waitFor a position no projection has reached', async () => {
    const status = app.get<ProjectionStatus>(PROJECTION_STATUS);
    await expect(status.waitFor({ commit: 1n << 60n, prepare: 0n }, 50)).rejects.toThrow(
      /did not reach position/,
    );
  });
});
