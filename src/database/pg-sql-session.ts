import { Client, type ClientConfig } from 'pg';
import { queryConfig } from './pg-query-config';
import type { SqlQueryable, SqlSession, SqlText } from './sql-database';

/**
 * A dedicated PostgreSQL connection. Its operations are queued, so a query issued
 * while a transaction runs waits for the transaction instead of landing inside it.
 * `ended` resolves when the connection ends for any reason (close, or the server
 * terminating it): session-level advisory locks held here are gone by then.
 */
export class PgSqlSession implements SqlSession {
  readonly ended: Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly client: Client) {
    this.ended = new Promise((resolve) => {
      client.once('end', () => resolve());
      client.once('error', () => resolve());
    });
  }

  static async connect(config: ClientConfig): Promise<PgSqlSession> {
    const client = new Client(config);
    // A lost connection must not crash the process: `ended` and failing queries report it.
    client.on('error', () => undefined);
    await client.connect();
    return new PgSqlSession(client);
  }

  query<Row>(text: SqlText, params: readonly unknown[] = []): Promise<Row[]> {
    return this.exclusive(async () => (await this.client.query(queryConfig(text, params))).rows);
  }

  exec(script: string): Promise<void> {
    return this.exclusive(async () => void (await this.client.query(script)));
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.client.query('BEGIN');
      try {
        const result = await work({
          query: async <Row>(text: SqlText, params: readonly unknown[] = []) =>
            (await this.client.query(queryConfig(text, params))).rows as Row[],
          exec: async (script: string) => void (await this.client.query(script)),
        });
        await this.client.query('COMMIT');
        return result;
      } catch (error) {
        // On a broken connection ROLLBACK fails too; the error that matters is the first.
        await this.client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
