import type { SqlDatabase } from './sql-database';

export interface Migration {
  /** Applied in ascending order; never renumber or edit one that has shipped. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Advisory-lock namespace for migrations (two-key form, apart from stream locks). */
const MIGRATION_LOCK_CLASS = 0x616e7461; // "anta"

/**
 * Applies the component's pending migrations in one transaction under an advisory
 * lock, so instances starting at once neither race nor apply a migration twice: the
 * second waits, then finds nothing left to do. Returns the versions it applied.
 */
export async function migrate(
  db: SqlDatabase,
  component: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  assertOrdered(component, migrations);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      MIGRATION_LOCK_CLASS,
      component,
    ]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component text NOT NULL,
      version integer NOT NULL,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version)
    )`);
    const rows = await tx.query<{ version: number }>(
      'SELECT version FROM schema_migrations WHERE component = $1',
      [component],
    );
    const applied = new Set(rows.map((row) => row.version));
    const pending = migrations.filter((migration) => !applied.has(migration.version));
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query(
        'INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)',
        [component, migration.version, migration.name],
      );
    }
    return pending.map((migration) => migration.version);
  });
}

function assertOrdered(component: string, migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (index > 0 && migration.version <= migrations[index - 1].version) {
      throw new Error(
        `migrations of ${component} must have strictly ascending versions: ${migrations[index - 1].version} then ${migration.version}`,
      );
    }
  });
}
