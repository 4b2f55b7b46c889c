import { Client, Pool, types, type PoolConfig } from 'pg';
import { queryConfig } from './pg-query-config';
import { PgSqlSession } from './pg-sql-session';
import type { SqlDatabase, SqlQueryable, SqlSession, SqlText } from './sql-database';

const INT8_OID = 20;

/** int8 as bigint: revisions and positions are 64-bit and must not lose precision. */
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => BigInt(value)
      : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

export interface PgSqlDatabaseOptions {
  readonly connectionString: string;
  readonly poolSize?: number;
  readonly applicationName?: string;
}

/**
 * A transaction of ours left open (a bug, a hung await) holds back the event log's read
 * horizon for every reader in the cluster (docs/event-store.md). PostgreSQL ends such a
 * session after this long; our transactions are short, so it never cuts real work.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

export class PgSqlDatabase implements SqlDatabase {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly listeners = new Set<Client>();
  private readonly sessions = new Set<PgSqlSession>();

  constructor(private readonly options: PgSqlDatabaseOptions) {
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 20,
      application_name: options.applicationName ?? 'antaeus',
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      types: typeParsers,
    };
    this.pool = new Pool(config);
    // An idle client that loses its connection must not crash the process; the pool
    // drops it and the next query opens a new one.
    this.pool.on('error', () => undefined);
  }

  async query<Row>(text: SqlText, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.pool.query(queryConfig(text, params));
    return result.rows as Row[];
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx: SqlQueryable = {
        query: async <Row>(text: SqlText, params: readonly unknown[] = []) =>
          (await client.query(queryConfig(text, params))).rows as Row[],
        exec: async (script: string) => void (await client.query(script)),
      };
      const result = await work(tx);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A failed ROLLBACK means the connection is broken: destroy it, not reuse it.
      await client.query('ROLLBACK').then(
        () => client.release(),
        (rollbackError: Error) => client.release(rollbackError),
      );
      throw error;
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    // LISTEN needs its own session: a pooled client would be handed to other queries.
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName ?? 'antaeus',
    });
    client.on('error', () => undefined);
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    await client.connect();
    await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    this.listeners.add(client);
    return async () => {
      if (!this.listeners.delete(client)) return;
      await client.end().catch(() => undefined);
    };
  }

  async openSession(): Promise<SqlSession> {
    const session = await PgSqlSession.connect({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName ?? 'antaeus',
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      types: typeParsers,
    });
    this.sessions.add(session);
    void session.ended.then(() => this.sessions.delete(session));
    return session;
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.close()));
    await Promise.all([...this.listeners].map((client) => client.end().catch(() => undefined)));
    this.listeners.clear();
    await this.pool.end();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
