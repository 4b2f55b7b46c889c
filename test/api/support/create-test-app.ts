import { Global, Module, type INestApplication } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { BILLING_RUN_READ_MODEL } from '../../../src/api/read-models/billing-run-read-model.port';
import { CUSTOMER_READ_MODEL } from '../../../src/api/read-models/customer-read-model.port';
import { INVOICE_READ_MODEL } from '../../../src/api/read-models/invoice-read-model.port';
import { ApiModule } from '../../../src/api/api.module';
import { ConfigModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config/load-config';
import { SQL_DATABASE } from '../../../src/database/database.module';
import { EVENT_STORE } from '../../../src/event-store/event-store.port';
import { HealthModule } from '../../../src/health/health.module';
import { serveHttp } from '../../support/serve-http';
import {
  FakeRequeueHandler,
  FakeResolveHandler,
  FakeStartBillingRunHandler,
} from './fake-command-handlers';
import { FakeEventStore } from './fake-event-store';
import { FakeWorld } from './fake-world';

export const TEST_TOKEN = 'test-token-0123456789abcdef';
export const TEST_AUTH = { Authorization: `Bearer ${TEST_TOKEN}` } as const;

export interface TestApp {
  readonly app: INestApplication;
  readonly world: FakeWorld;
  readonly auth: { readonly Authorization: string };
}

/**
 * ApiModule (and HealthModule) over fakes of everything it needs from the rest of the
 * service: read models, event store, database and command handlers.
 */
export async function createTestApp(
  env: Record<string, string> = { ANTAEUS_API_TOKEN: TEST_TOKEN },
): Promise<TestApp> {
  const world = new FakeWorld();

  @Global()
  @Module({
    providers: [
      { provide: FakeWorld, useValue: world },
      { provide: INVOICE_READ_MODEL, useValue: world.readModels.invoiceReadModel },
      { provide: CUSTOMER_READ_MODEL, useValue: world.readModels.customerReadModel },
      { provide: BILLING_RUN_READ_MODEL, useValue: world.readModels.billingRunReadModel },
      { provide: EVENT_STORE, useValue: new FakeEventStore(world) },
      {
        provide: SQL_DATABASE,
        useValue: {
          query: async () => {
            world.check();
            return [];
          },
        },
      },
      FakeRequeueHandler,
      FakeResolveHandler,
      FakeStartBillingRunHandler,
    ],
    exports: [
      FakeWorld,
      INVOICE_READ_MODEL,
      CUSTOMER_READ_MODEL,
      BILLING_RUN_READ_MODEL,
      EVENT_STORE,
      SQL_DATABASE,
    ],
  })
  class FakesModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(loadConfig(env)),
      CqrsModule.forRoot(),
      FakesModule,
      ApiModule,
      HealthModule,
    ],
  }).compile();
  const app = await serveHttp(moduleRef);
  return { app, world, auth: TEST_AUTH };
}
