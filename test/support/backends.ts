import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PgSqlDatabase } from '../../src/database/pg-sql-database';
import { PgliteSqlDatabase } from '../../src/database/pglite-sql-database';
import type { SqlDatabase } from '../../src/database/sql-database';
import type { EventStore } from '../../src/event-store/event-store.port';
import { startEsdbDouble } from './esdb-double/esdb-double';
import { openPgliteStore, openPostgresStore, type OpenStore } from './event-store-backends';
import { SharedEsdb } from './shared-esdb';
import { SharedPostgres } from './shared-postgres';
import { createTestDatabase } from './test-database';

/** An empty SQL database of a test's own (where the read models live). */
export interface OpenDatabase {
  readonly db: SqlDatabase;
  close(): Promise<void>;
}

/** One event store that several service instances share, each through its own client. */
export interface SharedStores {
  /** A new instance's event store: its own pool or client on the shared store. */
  openStore(): EventStore;
  close(): Promise<void>;
}

/** The real service's environment on fresh data; stop() removes the data. */
export interface ServiceBackend {
  readonly env: Readonly<Record<string, string>>;
  /** The types stored in `stream`, read from the backend itself (not through the service). */
  storedTypes(stream: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * A backend the service runs on, with what a test can open on it. A capability that is
 * null does not exist on that backend: EventStoreDB is no SQL database and runs outside
 * the process; PGlite is held by one process, so no two instances share it.
 */
export interface Backend {
  /** As it appears in test names: `npx jest -t EventStoreDB` selects that backend. */
  readonly name: 'PostgreSQL' | 'PGlite' | 'EventStoreDB';
  readonly openDatabase: ((label: string) => Promise<OpenDatabase>) | null;
  /** An event store in this process on fresh data, with the SQL database it lives in. */
  readonly openStore: ((label: string) => Promise<OpenStore>) | null;
  /** One store several instances share (the production stores). */
  readonly openShared: ((label: string) => Promise<SharedStores>) | null;
  startService(label: string): Promise<ServiceBackend>;
}

const POSTGRES: Backend = {
  name: 'PostgreSQL',
  openDatabase: async (label) => {
    const database = await createTestDatabase(label);
    const db = new PgSqlDatabase({ connectionString: database.url, poolSize: 4 });
    return {
      db,
      close: async () => {
        await db.close();
        await database.drop();
      },
    };
  },
  openStore: (label) => openPostgresStore(label),
  openShared: (label) => SharedPostgres.create(label),
  startService: async (label) => {
    const database = await createTestDatabase(label);
    return {
      env: { DATABASE_URL: database.url },
      storedTypes: (stream) => storedTypesIn(database.url, stream),
      stop: () => database.drop(),
    };
  },
};

const PGLITE: Backend = {
  name: 'PGlite',
  openDatabase: async () => {
    const db = await PgliteSqlDatabase.open();
    return { db, close: () => db.close() };
  },
  openStore: () => openPgliteStore(),
  openShared: null,
  startService: async (label) => {
    const dir = await mkdtemp(join(tmpdir(), `antaeus-${label}-`));
    return {
      env: { ANTAEUS_DATA_DIR: dir },
      storedTypes: () => {
        throw new Error('the running service holds the PGlite data: read it through the service');
      },
      stop: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

const EVENTSTOREDB: Backend = {
  name: 'EventStoreDB',
  openDatabase: null,
  openStore: null,
  openShared: () => SharedEsdb.create(),
  startService: async (label) => {
    const database = await createTestDatabase(label);
    const double = await startEsdbDouble();
    return {
      env: { DATABASE_URL: database.url, ESDB_CONNECTION_STRING: double.connectionString },
      storedTypes: async (stream) => (double.log.stream(stream) ?? []).map((event) => event.type),
      stop: async () => {
        await double.stop();
        await database.drop();
      },
    };
  },
};

/**
 * The one list of backends for every test kind: unit tests of the SQL, the engine on
 * shared stores, and the real service end to end. A test takes the backends that have
 * what it needs (backendsWith), so a new backend joins every test that can run on it.
 */
export const BACKENDS: readonly Backend[] = [POSTGRES, PGLITE, EVENTSTOREDB];

type Capability = 'openDatabase' | 'openStore' | 'openShared';
export type BackendWith<K extends Capability> = Backend & {
  readonly [P in K]: NonNullable<Backend[P]>;
};

/** The backends on which every one of `capabilities` exists, for describe.each. */
export function backendsWith<K extends Capability>(...capabilities: K[]): BackendWith<K>[] {
  return BACKENDS.filter((backend): backend is BackendWith<K> =>
    capabilities.every((capability) => backend[capability] !== null),
  );
}

async function storedTypesIn(url: string, stream: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ event_type: string }>(
      'SELECT event_type FROM events WHERE stream_name = $1 ORDER BY stream_revision',
      [stream],
    );
    return rows.map((row) => row.event_type);
  } finally {
    await client.end();
  }
}
