import { ALL_PROJECTIONS } from '../../projections/all-projections';
import { CheckpointMismatchError } from '../../projections/checkpoints/checkpoint-mismatch.error';
import { findCheckpoint, readCheckpoint } from '../../projections/checkpoints/checkpoints';
import { customersProjection } from '../../projections/customers/customers.projection';
import { invoicesProjection } from '../../projections/invoices/invoices.projection';
import { LIVE_TABLES, type Projection } from '../../projections/projection';
import { projectBatch } from '../../projections/projector/project-batch';
import { Projector } from '../../projections/projector/projector';
import { LEASE_LOCK_CLASS } from '../../src/database/lock-session';
import { PgSqlDatabase } from '../../src/database/pg-sql-database';
import type { SqlDatabase } from '../../src/database/sql-database';
import { migrate } from '../../src/database/migrate';
import type { EventStore } from '../../src/event-store/event-store.port';
import { EVENT_STORE_MIGRATIONS } from '../../src/event-store/postgres/event-store.migrations';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { START } from '../../src/event-store/position';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';
import type { OpenStore } from '../support/event-store-backends';
import {
  DomainWriter,
  RecordingLogger,
  expectReadModelsEqualReplay,
  openBackend,
  projectionStatus,
} from './projection-test-kit';
import { backendsWith } from '../support/backends';
import { migrateReadModels } from '../../projections/migrations/read-model.migrations';

async function countRows(db: SqlDatabase, table: string): Promise<number> {
  const [{ count }] = await db.query<{ count: bigint }>(`SELECT count(*) AS count FROM ${table}`);
  return Number(count);
}

describe.each(backendsWith('openStore'))('a projector on $name', (backend) => {
  let open: OpenStore;

  beforeEach(async () => {
    open = await openBackend(backend, 'projector');
  });

  afterEach(async () => {
    await open.close();
  });

  it('commits rows and checkpoint together: a failure before commit leaves neither', async () => {
    const writer = new DomainWriter(open.store);
    for (const id of ['1', '2', '3']) await writer.issue(id);
    await writer.claim('1');
    let rowsSeenInTransaction = 0;
    const crashing: Projection = {
      ...invoicesProjection,
      async apply(tx, events, names) {
        await invoicesProjection.apply(tx, events, names);
        rowsSeenInTransaction = Number(
          (await tx.query<{ count: bigint }>('SELECT count(*) AS count FROM invoices'))[0].count,
        );
        throw new Error('injected crash between the rows and the commit');
      },
    };
    const logger = new RecordingLogger();
    const projector = new Projector(open.db, open.store, crashing, {
      logger,
      backoffMs: [60_000, 60_000],
    });
    projector.start();
    await waitFor(() => logger.errors.length > 0, { message: 'the injected crash' });
    await projector.stop();
    expect(rowsSeenInTransaction).toBeGreaterThan(0);
    expect(await countRows(open.db, 'invoices')).toBe(0);
    expect(await findCheckpoint(open.db, 'invoices')).toEqual(START);
    expect(String(logger.messages[logger.messages.length - 1])).toMatch(
      /restarting from its checkpoint/,
    );

    // A projector that works picks up from the stored checkpoint: nothing lost.
    const healthy = new Projector(open.db, open.store, invoicesProjection, { logger });
    healthy.start();
    await waitFor(
      async () =>
        (
          await open.db.query(
            `SELECT 1 FROM invoices WHERE invoice_id = '1' AND status = 'PROCESSING'`,
          )
        ).length === 1,
      { message: 'the claim to be projected' },
    );
    expect(await countRows(open.db, 'invoices')).toBe(3);
    await healthy.stop();
  });

  it('throws on a checkpoint that moved and rolls the batch back', async () => {
    const writer = new DomainWriter(open.store);
    await writer.issue('1');
    await writer.issue('2');
    await waitFor(async () => (await open.store.readAll({ after: START, limit: 10 })).length === 2);
    const [first, second] = await open.store.readAll({ after: START, limit: 10 });
    await readCheckpoint(open.db, customersProjection.name);
    const moved = await projectBatch(open.db, customersProjection, START, [first], LIVE_TABLES);
    expect(moved).toEqual(first.position);
    // A second projector that also started from START: it lost the lease.
    await expect(
      projectBatch(open.db, customersProjection, START, [second], LIVE_TABLES),
    ).rejects.toThrow(CheckpointMismatchError);
    expect(await findCheckpoint(open.db, customersProjection.name)).toEqual(first.position);
    const [{ invoices }] = await open.db.query<{ invoices: number }>(
      'SELECT invoices FROM customers',
    );
    expect(invoices).toBe(1);
  });

  it('says when a batch was slow to apply', async () => {
    const writer = new DomainWriter(open.store);
    const issued = (await writer.issue('1')).position;
    const logger = new RecordingLogger();
    // Every batch is "slow" against a bound of -1 ms; the default (1 s) stays quiet.
    const projector = new Projector(open.db, open.store, customersProjection, {
      leaseRetryMs: 20,
      slowBatchMs: -1,
      logger,
    });
    projector.start();
    await waitFor(async () => {
      const checkpoint = await findCheckpoint(open.db, 'customers');
      return checkpoint !== null && checkpoint.commit >= issued.commit;
    });
    await projector.stop();
    expect(
      logger.messages.some((message) =>
        /customers: a batch of \d+ events took \d+ ms/.test(message),
      ),
    ).toBe(true);
  });

  it('lets one projector per projection hold the lease; the other takes over when it stops', async () => {
    const writer = new DomainWriter(open.store);
    await writer.issue('1');
    const options = { leaseRetryMs: 20, leaseCheckMs: 20, logger: new RecordingLogger() };
    const first = new Projector(open.db, open.store, customersProjection, options);
    const second = new Projector(open.db, open.store, customersProjection, options);
    first.start();
    await waitFor(() => first.activeHere, { message: 'the first projector to take the lease' });
    second.start();
    await waitFor(async () => (await countRows(open.db, 'customers')) === 1, { message: 'rows' });
    expect(second.activeHere).toBe(false);
    await first.stop();
    await waitFor(() => second.activeHere, { message: 'the second projector to take over' });
    const last = (await writer.issue('2')).position;
    await waitFor(async () => {
      const checkpoint = await findCheckpoint(open.db, 'customers');
      return (
        checkpoint !== null &&
        checkpoint.commit >= last.commit &&
        checkpoint.prepare >= last.prepare
      );
    });
    await second.stop();
    const [{ invoices }] = await open.db.query<{ invoices: number }>(
      'SELECT invoices FROM customers',
    );
    expect(invoices).toBe(2);
  });
});

/** One service instance: its own pool, event store and projectors, as in production. */
interface Instance {
  readonly db: PgSqlDatabase;
  readonly store: EventStore;
  readonly projectors: Projector[];
}

function startInstance(url: string, name: string, backoffMs: [number, number]): Instance {
  const db = new PgSqlDatabase({ connectionString: url, poolSize: 8, applicationName: name });
  const store = new PostgresEventStore(db, { crossProcessNotify: true, pollIntervalMs: 50 });
  const projectors = ALL_PROJECTIONS.map(
    (projection) =>
      new Projector(db, store, projection, {
        leaseRetryMs: 20,
        leaseCheckMs: 20,
        batchSize: 7,
        backoffMs,
        logger: new RecordingLogger(),
      }),
  );
  projectors.forEach((projector) => projector.start());
  return { db, store, projectors };
}

async function stopInstance(instance: Instance): Promise<void> {
  await Promise.all(instance.projectors.map((projector) => projector.stop()));
  await instance.store.close();
  await instance.db.close();
}

describe('two instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let admin: PgSqlDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase('projector_failover');
    admin = new PgSqlDatabase({
      connectionString: database.url,
      poolSize: 4,
      applicationName: 'test-writer',
    });
    await migrate(admin, 'event-store', EVENT_STORE_MIGRATIONS);
    await migrateReadModels(admin);
    store = new PostgresEventStore(admin, { crossProcessNotify: true });
  });

  afterAll(async () => {
    await store.close();
    await admin.close();
    await database.drop();
  });

  it("commits its batches without waiting for the WAL flush, and only its own: the pool's appends still wait", async () => {
    const settings: string[] = [];
    const recording: Projection = {
      ...invoicesProjection,
      async apply(tx, events, names) {
        const [row] = await tx.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
        settings.push(row.synchronous_commit);
        await invoicesProjection.apply(tx, events, names);
      },
    };
    const db = new PgSqlDatabase({ connectionString: database.url, poolSize: 2 });
    const projector = new Projector(db, store, recording, { logger: new RecordingLogger() });
    projector.start();
    try {
      await new DomainWriter(store).issue('async-commit');
      await waitFor(() => settings.length > 0, { message: 'the projector to apply the event' });
      const pooled = await Promise.all(
        [1, 2, 3, 4].map(() => db.query<{ synchronous_commit: string }>('SHOW synchronous_commit')),
      );
      expect(new Set(settings)).toEqual(new Set(['off']));
      expect(pooled.map(([row]) => row.synchronous_commit)).toEqual(['on', 'on', 'on', 'on']);
    } finally {
      await projector.stop();
      await db.close();
    }
  });

  it('fails over when the lease holder is killed, applying no event twice and skipping none', async () => {
    const writer = new DomainWriter(store);
    // a does not come back within the test: as if its process had died.
    const a = startInstance(database.url, 'instance-a', [60_000, 60_000]);
    await waitFor(() => a.projectors.every((projector) => projector.activeHere), {
      message: 'instance a to take every lease',
    });
    const b = startInstance(database.url, 'instance-b', [10, 100]);
    try {
      // While a holds the leases, b stands by: its lease sessions are open and hold nothing.
      await waitFor(async () => (await leaseHolders(admin)).length === ALL_PROJECTIONS.length);
      await waitFor(async () => (await sessionsOf(admin, 'instance-b')) > 0);
      expect(b.projectors.some((projector) => projector.activeHere)).toBe(false);
      expect(await leaseHolders(admin)).toEqual(ALL_PROJECTIONS.map(() => 'instance-a'));

      let id = 0;
      const writeSome = async (count: number): Promise<void> => {
        for (let i = 0; i < count; i += 1) {
          const invoiceId = `inv-${(id += 1)}`;
          await writer.issue(invoiceId, `customer-${id % 3}`);
          await writer.claim(invoiceId);
          if (id % 2 === 0) await writer.outcome(invoiceId, 1, { kind: 'paid' });
        }
      };
      await writeSome(20);
      const writing = writeSome(40);
      // The instance dies as far as PostgreSQL can tell: every connection of it is cut.
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'instance-a'`,
      );
      await waitFor(() => b.projectors.every((projector) => projector.activeHere), {
        message: 'instance b to take over every projection',
      });
      await writing;
      const last = (await writer.issue('last')).position;
      await projectionStatus(admin).waitFor(last, 20_000);
      expect(await leaseHolders(admin)).toEqual(ALL_PROJECTIONS.map(() => 'instance-b'));
      await expectReadModelsEqualReplay(admin, store);
    } finally {
      await stopInstance(b);
      await stopInstance(a);
    }
  });
});

/** The application names of the sessions that hold a projection lease. */
async function leaseHolders(db: SqlDatabase): Promise<string[]> {
  const rows = await db.query<{ application_name: string }>(
    `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objsubid = 2
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.objid = ANY (SELECT hashtext('projection:' || name)::oid FROM unnest($2::text[]) AS name)
      ORDER BY 1`,
    [LEASE_LOCK_CLASS, ALL_PROJECTIONS.map((projection) => projection.name)],
  );
  return rows.map((row) => row.application_name);
}

async function sessionsOf(db: SqlDatabase, name: string): Promise<number> {
  const [{ count }] = await db.query<{ count: bigint }>(
    'SELECT count(*) AS count FROM pg_stat_activity WHERE application_name = $1',
    [name],
  );
  return Number(count);
}
