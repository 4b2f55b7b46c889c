import { STREAM_DOES_NOT_EXIST, type ExpectedStreamVersion } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import type { Measurement } from '../measurement';
import { CONCURRENCY } from '../settings';
import { runAppenders } from './run-appenders';

/** Emmett's PostgreSQL event store on a pool the size of Antaeus's. */
export async function emmettAppends(
  connectionString: string,
  seconds: number,
): Promise<Measurement> {
  const pool = new Pool({ connectionString, max: CONCURRENCY + 4 });
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
  await store.schema.migrate();
  try {
    return await runAppenders(connectionString, CONCURRENCY, seconds, () => {
      let version: ExpectedStreamVersion = STREAM_DOES_NOT_EXIST;
      return async (stream, n) => {
        const result = await store.appendToStream(stream, [{ type: 'Appended', data: { n } }], {
          expectedStreamVersion: version,
        });
        version = result.nextExpectedStreamVersion;
      };
    });
  } finally {
    await store.close();
    await pool.end();
  }
}
