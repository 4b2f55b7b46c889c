import { migrate } from '../../src/database/migrate';
import { PgSqlDatabase } from '../../src/database/pg-sql-database';
import type { EventStore } from '../../src/event-store/event-store.port';
import { EVENT_STORE_MIGRATIONS } from '../../src/event-store/postgres/event-store.migrations';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * One PostgreSQL database and several store objects on it, each with its own pool: as
 * far as the database is concerned, separate service instances.
 */
export class SharedPostgres {
  private readonly opened: { db: PgSqlDatabase; store: PostgresEventStore }[] = [];

  private constructor(private readonly database: TestDatabase) {}

  static async create(label: string): Promise<SharedPostgres> {
    const shared = new SharedPostgres(await createTestDatabase(label));
    const { db } = shared.openDb(2);
    await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS);
    return shared;
  }

  /** A new instance's event store, on its own connection pool. */
  openStore(poolSize = 10): EventStore {
    return this.openDb(poolSize).store;
  }

  async close(): Promise<void> {
    for (const { db, store } of this.opened) {
      await store.close();
      await db.close();
    }
    await this.database.drop();
  }

  private openDb(poolSize: number): { db: PgSqlDatabase; store: PostgresEventStore } {
    const db = new PgSqlDatabase({ connectionString: this.database.url, poolSize });
    const store = new PostgresEventStore(db, { crossProcessNotify: true, pollIntervalMs: 50 });
    this.opened.push({ db, store });
    return { db, store };
  }
}
