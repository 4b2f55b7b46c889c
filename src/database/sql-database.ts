/**
 * The one SQL access seam: PostgreSQL through `pg` and embedded PostgreSQL through
 * PGlite both implement it, so the event store and the read models run the same SQL
 * on either. int8 columns arrive as bigint on both.
 */
export interface SqlQueryable {
  query<Row = Record<string, unknown>>(text: SqlText, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDatabase extends SqlQueryable {
  readonly kind: 'postgres' | 'pglite';

  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;

  /** Calls `onNotify` for each NOTIFY on `channel`; resolves to an unlisten function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;

  /**
   * A session of its own (a dedicated connection on PostgreSQL) for session state such
   * as advisory locks: whatever it holds is freed when its connection drops.
   */
  openSession(): Promise<SqlSession>;

  close(): Promise<void>;
}

/** One session: statements and transactions run one at a time, in call order. */
export interface SqlSession extends SqlQueryable {
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Resolves when the session ends: closed, or its connection lost. */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

/**
 * A statement of a hot path, prepared once per connection on PostgreSQL (parsed and
 * planned once, not on every call). `name` must name this text only. PGlite runs the text.
 */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

export type SqlText = string | NamedStatement;

export function textOf(sql: SqlText): string {
  return typeof sql === 'string' ? sql : sql.text;
}

/** PostgreSQL's SQLSTATE for a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';

/** PostgreSQL's SQLSTATE for a deadlock it broke by failing this transaction. */
export const DEADLOCK_DETECTED = '40P01';

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function constraintName(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}
