import { PGlite, types } from '@electric-sql/pglite';
import { DataDirLock } from './data-dir-lock';
import {
  textOf,
  type SqlDatabase,
  type SqlQueryable,
  type SqlSession,
  type SqlText,
} from './sql-database';

/**
 * Embedded PostgreSQL in WebAssembly: one backend, so statements run one at a time and
 * transactions are serialised. The same SQL as the PostgreSQL backend runs here.
 */
export class PgliteSqlDatabase implements SqlDatabase {
  readonly kind = 'pglite' as const;

  private readonly closed: Promise<void>;
  private markClosed: () => void = () => undefined;

  private constructor(
    private readonly db: PGlite,
    private readonly lock: DataDirLock | undefined,
  ) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
  }

  /** `dataDir` undefined keeps the database in memory (tests). */
  static async open(dataDir?: string): Promise<PgliteSqlDatabase> {
    const lock = dataDir ? DataDirLock.acquire(dataDir) : undefined;
    try {
      const db = await PGlite.create({
        ...(dataDir ? { dataDir } : {}),
        parsers: { [types.INT8]: (value: string) => BigInt(value) },
      });
      return new PgliteSqlDatabase(db, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  async query<Row>(text: SqlText, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.db.query<Row>(textOf(text), params as unknown[])).rows;
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      work({
        query: async <Row>(text: SqlText, params: readonly unknown[] = []) =>
          (await tx.query<Row>(textOf(text), params as unknown[])).rows,
        exec: async (script: string) => void (await tx.exec(script)),
      }),
    );
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.db.listen(channel, onNotify);
  }

  /**
   * The one backend is the only session there is: it ends when the database closes.
   * (Advisory locks taken here are re-entrant for every caller; see lock-session.ts.)
   */
  async openSession(): Promise<SqlSession> {
    return {
      query: (text, params) => this.query(text, params),
      exec: (script) => this.exec(script),
      transaction: (work) => this.transaction(work),
      ended: this.closed,
      close: async () => undefined,
    };
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
    this.lock?.release();
    this.markClosed();
  }
}
