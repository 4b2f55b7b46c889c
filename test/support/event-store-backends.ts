import { migrate } from '../../src/database/migrate';
import { PgSqlDatabase } from '../../src/database/pg-sql-database';
import { PgliteSqlDatabase } from '../../src/database/pglite-sql-database';
import type { SqlDatabase } from '../../src/database/sql-database';
import type { EventStore } from '../../src/event-store/event-store.port';
import { EVENT_STORE_MIGRATIONS } from '../../src/event-store/postgres/event-store.migrations';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { createTestDatabase } from './test-database';

export interface OpenStore {
  readonly store: EventStore;
  readonly db: SqlDatabase;
  close(): Promise<void>;
}

/** A PostgreSQL event store on a database of its own, dropped by close(). */
export async function openPostgresStore(
  label: string,
  poolSize = 40,
  crossProcessNotify = true,
): Promise<OpenStore> {
  const database = await createTestDatabase(label);
  const db = new PgSqlDatabase({ connectionString: database.url, poolSize });
  return openStoreOn(db, crossProcessNotify, () => database.drop());
}

/** An embedded (PGlite) event store in memory. */
export async function openPgliteStore(): Promise<OpenStore> {
  return openStoreOn(await PgliteSqlDatabase.open(), false);
}

/** The event store migrated onto `db`; close() closes both, then runs `dispose`. */
async function openStoreOn(
  db: SqlDatabase,
  crossProcessNotify: boolean,
  dispose: () => Promise<void> = async () => {},
): Promise<OpenStore> {
  await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS);
  const store = new PostgresEventStore(db, { crossProcessNotify, pollIntervalMs: 50 });
  return {
    store,
    db,
    close: async () => {
      await store.close();
      await db.close();
      await dispose();
    },
  };
}
