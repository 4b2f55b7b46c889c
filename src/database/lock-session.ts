import type { SqlDatabase, SqlSession } from './sql-database';

/** Advisory-lock namespace for leases (two-key form, apart from migrations and streams). */
export const LEASE_LOCK_CLASS = 0x6c656173; // "leas"

/** Keys claimed in this process on an embedded database, per database. */
const embeddedClaims = new WeakMap<SqlDatabase, Map<string, LockSession>>();

/**
 * A session that holds named leases: one holder per key across every instance sharing
 * the database. On PostgreSQL a lease is a session-level advisory lock on the session's
 * own connection, so it is freed the moment that connection drops (a crashed or killed
 * instance never keeps it). PGlite has one backend and one process, and advisory locks
 * are re-entrant within a backend, so there a lease is claimed in process instead.
 * Work that must only commit while the lease is held runs on `session`.
 */
export class LockSession {
  private readonly held = new Set<string>();
  private open = true;

  private constructor(
    private readonly db: SqlDatabase,
    readonly session: SqlSession,
  ) {
    void session.ended.then(() => (this.open = false));
  }

  static async open(db: SqlDatabase): Promise<LockSession> {
    return new LockSession(db, await db.openSession());
  }

  /** Resolves when the session ends; every lease it held is gone then. */
  get ended(): Promise<void> {
    return this.session.ended;
  }

  /** False once the session has ended (closed, or its connection lost). */
  get isOpen(): boolean {
    return this.open;
  }

  holds(key: string): boolean {
    return this.held.has(key);
  }

  /** Takes the lease if nobody holds it; true when this session holds it now. */
  async tryLock(key: string): Promise<boolean> {
    if (this.held.has(key)) return true;
    const acquired =
      this.db.kind === 'pglite' ? this.claimEmbedded(key) : await this.tryAdvisoryLock(key);
    if (acquired) this.held.add(key);
    return acquired;
  }

  async unlock(key: string): Promise<void> {
    if (!this.held.delete(key)) return;
    if (this.db.kind === 'pglite') {
      embeddedClaims.get(this.db)?.delete(key);
      return;
    }
    await this.session.query('SELECT pg_advisory_unlock($1, hashtext($2))', [
      LEASE_LOCK_CLASS,
      key,
    ]);
  }

  /**
   * Whether another session holds `key`. Only looks (pg_locks), never takes it: a probe
   * that took the lock would itself look like a holder to everyone else.
   */
  async isHeldElsewhere(key: string): Promise<boolean> {
    if (this.db.kind === 'pglite') {
      const holder = embeddedClaims.get(this.db)?.get(key);
      return holder !== undefined && holder !== this;
    }
    const [row] = await this.session.query<{ held: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND classid = $1 AND objid = hashtext($2)::oid AND objsubid = 2) AS held`,
      [LEASE_LOCK_CLASS, key],
    );
    return row.held;
  }

  /** Ends the session, which releases every lease it holds. */
  async close(): Promise<void> {
    const claims = embeddedClaims.get(this.db);
    for (const key of this.held) if (claims?.get(key) === this) claims.delete(key);
    this.held.clear();
    await this.session.close();
  }

  private async tryAdvisoryLock(key: string): Promise<boolean> {
    const [row] = await this.session.query<{ acquired: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS acquired',
      [LEASE_LOCK_CLASS, key],
    );
    return row.acquired;
  }

  private claimEmbedded(key: string): boolean {
    let claims = embeddedClaims.get(this.db);
    if (!claims) embeddedClaims.set(this.db, (claims = new Map()));
    if (claims.has(key)) return false;
    claims.set(key, this);
    return true;
  }
}
