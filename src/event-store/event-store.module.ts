import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { migrate } from '../database/migrate';
import { SQL_DATABASE } from '../database/database.module';
import type { SqlDatabase } from '../database/sql-database';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { MeteredEventStore } from './metered-event-store';
import { AntaeusMetrics } from '../metrics/antaeus-metrics';
import { EVENT_STORE_MIGRATIONS } from './postgres/event-store.migrations';
import { PostgresEventStore } from './postgres/postgres-event-store';

async function openEventStore(
  config: AppConfig,
  db: SqlDatabase,
  metrics: AntaeusMetrics | undefined,
): Promise<EventStore> {
  const store = await openBackend(config, db);
  return metrics ? new MeteredEventStore(store, metrics) : store;
}

async function openBackend(config: AppConfig, db: SqlDatabase): Promise<EventStore> {
  const { eventStore } = config;
  if (eventStore.kind === 'eventstoredb') {
    return EsdbEventStore.fromConnectionString(eventStore.connectionString);
  }
  await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS);
  return new PostgresEventStore(db, { crossProcessNotify: eventStore.kind === 'postgres' });
}

/**
 * Chooses the event store: EventStoreDB, PostgreSQL, or embedded PostgreSQL; its appends
 * are timed when the app has metrics (MetricsModule).
 */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, SQL_DATABASE, { token: AntaeusMetrics, optional: true }],
      useFactory: openEventStore,
    },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
