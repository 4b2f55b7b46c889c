import { Client } from 'pg';
import { startEsdbDouble } from '../../support/esdb-double/esdb-double';
import type { TestDatabase } from '../../support/test-database';

/** A running event store for the real service, as the environment that selects it. */
export interface RunningBackend {
  readonly env: Readonly<Record<string, string>>;
  /** The types stored in `stream`, read from the backend itself (not through the service). */
  storedTypes(stream: string): Promise<string[]>;
  stop(): Promise<void>;
}

export interface RealBackend {
  /** As it appears in test names: `npx jest -t EventStoreDB` selects that backend. */
  readonly name: string;
  /** The event store next to `database`, which always holds the read models. */
  start(database: TestDatabase): Promise<RunningBackend>;
}

/** The production configurations: events in PostgreSQL, or in EventStoreDB (the double). */
export const REAL_BACKENDS: readonly RealBackend[] = [
  {
    name: 'PostgreSQL',
    start: async (database) => ({
      env: { DATABASE_URL: database.url },
      storedTypes: async (stream) => {
        const client = new Client({ connectionString: database.url });
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
      },
      stop: async () => {},
    }),
  },
  {
    name: 'EventStoreDB',
    start: async (database) => {
      const double = await startEsdbDouble();
      return {
        env: { DATABASE_URL: database.url, ESDB_CONNECTION_STRING: double.connectionString },
        storedTypes: async (stream) => (double.log.stream(stream) ?? []).map((event) => event.type),
        stop: () => double.stop(),
      };
    },
  },
];
