import { migrate } from '../../../src/database/migrate';
import { PgSqlDatabase } from '../../../src/database/pg-sql-database';
import { newEvent } from '../../../src/event-store/event-data';
import { NO_STREAM, type ExpectedRevision } from '../../../src/event-store/expected-revision';
import { EVENT_STORE_MIGRATIONS } from '../../../src/event-store/postgres/event-store.migrations';
import { PostgresEventStore } from '../../../src/event-store/postgres/postgres-event-store';
import type { Measurement } from '../measurement';
import { CONCURRENCY } from '../settings';
import { runAppenders } from './run-appenders';

/**
 * Antaeus's PostgreSQL event store as the service configures it (NOTIFY on append, group
 * commit); `groupCommit` false sends every append alone, to show what grouping adds.
 */
export async function antaeusAppends(
  connectionString: string,
  seconds: number,
  groupCommit = true,
): Promise<Measurement> {
  const db = new PgSqlDatabase({ connectionString, poolSize: CONCURRENCY + 4 });
  await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS);
  const store = new PostgresEventStore(db, {
    crossProcessNotify: true,
    ...(groupCommit ? {} : { appendLanes: Number.POSITIVE_INFINITY }),
  });
  try {
    return await runAppenders(connectionString, CONCURRENCY, seconds, () => {
      let revision: ExpectedRevision = NO_STREAM;
      return async (stream, n) => {
        const result = await store.append(stream, [newEvent('Appended', { n })], revision);
        revision = result.nextExpectedRevision;
      };
    });
  } finally {
    await store.close();
    await db.close();
  }
}
