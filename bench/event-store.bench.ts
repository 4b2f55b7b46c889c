/**
 * Event-store throughput on PostgreSQL and embedded PostgreSQL (PGlite):
 * - single-stream appends with an exact expected revision, 32 concurrent appenders,
 *   each on its own stream (the shape of claiming invoices one by one);
 * - multi-stream batch appends (appendMany), 100 streams per transaction.
 *
 * Run: npm run bench:event-store [-- --seconds 5 --json]
 * Needs PostgreSQL at TEST_ADMIN_DATABASE_URL (default: src/config/admin-database-url.ts);
 * creates and drops its own database.
 */
import { randomUUID } from 'node:crypto';
import { migrate } from '../src/database/migrate';
import { PgSqlDatabase } from '../src/database/pg-sql-database';
import { PgliteSqlDatabase } from '../src/database/pglite-sql-database';
import type { SqlDatabase } from '../src/database/sql-database';
import { newEvent } from '../src/event-store/event-data';
import type { EventStore } from '../src/event-store/event-store.port';
import { NO_STREAM } from '../src/event-store/expected-revision';
import { EVENT_STORE_MIGRATIONS } from '../src/event-store/postgres/event-store.migrations';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { withScratchDatabase } from './src/suite/scratch-database';

const APPENDERS = 32;
const BATCH_STREAMS = 100;
const BATCH_WORKERS = 4;

interface Figure {
  readonly backend: string;
  readonly workload: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

async function singleStreamAppends(store: EventStore, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let events = 0;
  await Promise.all(
    Array.from({ length: APPENDERS }, async () => {
      const stream = `bench-${randomUUID()}`;
      let revision: bigint | typeof NO_STREAM = NO_STREAM;
      while (Date.now() < deadline) {
        const result = await store.append(stream, [newEvent('Appended', { n: events })], revision);
        revision = result.nextExpectedRevision;
        events += 1;
      }
    }),
  );
  return events;
}

async function batchAppends(store: EventStore, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let events = 0;
  await Promise.all(
    Array.from({ length: BATCH_WORKERS }, async () => {
      while (Date.now() < deadline) {
        const results = await store.appendMany(
          Array.from({ length: BATCH_STREAMS }, () => ({
            stream: `bench-${randomUUID()}`,
            events: [newEvent('Appended', { batch: true })],
            expectedRevision: NO_STREAM,
          })),
        );
        events += results.filter((result) => result.success).length;
      }
    }),
  );
  return events;
}

async function measure(
  backend: string,
  db: SqlDatabase,
  crossProcessNotify: boolean,
  seconds: number,
): Promise<Figure[]> {
  await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS);
  const store = new PostgresEventStore(db, { crossProcessNotify });
  const figures: Figure[] = [];
  for (const [workload, run] of [
    [`single-stream appends, exact revision, ${APPENDERS} appenders`, singleStreamAppends],
    [
      `batch appends, ${BATCH_STREAMS} streams per transaction, ${BATCH_WORKERS} writers`,
      batchAppends,
    ],
  ] as const) {
    process.stderr.write(`${backend}: ${workload} for ${seconds} s… `);
    const started = process.hrtime.bigint();
    const events = await run(store, seconds);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const figure = {
      backend,
      workload,
      events,
      seconds: elapsed,
      eventsPerSecond: Math.round(events / elapsed),
    };
    process.stderr.write(`${figure.eventsPerSecond.toLocaleString('en-US')} events/s\n`);
    figures.push(figure);
  }
  await store.close();
  return figures;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const seconds = Number(args[args.indexOf('--seconds') + 1]) || 5;
  const json = args.includes('--json');

  const figures: Figure[] = await withScratchDatabase(async (url) => {
    const pg = new PgSqlDatabase({ connectionString: url, poolSize: APPENDERS + 4 });
    try {
      return await measure('PostgreSQL', pg, true, seconds);
    } finally {
      await pg.close();
    }
  });
  const pglite = await PgliteSqlDatabase.open();
  figures.push(...(await measure('PGlite (in memory)', pglite, false, seconds)));
  await pglite.close();

  if (json) {
    console.log(JSON.stringify({ figures }));
    return;
  }
  console.log(
    '\nbackend             | workload                                                      | events/s',
  );
  console.log(
    '--------------------|---------------------------------------------------------------|---------',
  );
  for (const figure of figures) {
    console.log(
      `${figure.backend.padEnd(20)}| ${figure.workload.padEnd(62)}| ${figure.eventsPerSecond.toLocaleString('en-US').padStart(8)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
