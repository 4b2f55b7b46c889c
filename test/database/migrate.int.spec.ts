import { migrate, type Migration } from '../../src/database/migrate';
import { PgSqlDatabase } from '../../src/database/pg-sql-database';
import { PgliteSqlDatabase } from '../../src/database/pglite-sql-database';
import { EVENT_STORE_MIGRATIONS } from '../../src/event-store/postgres/event-store.migrations';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const counting: Migration[] = [
  { version: 1, name: 'create', sql: 'CREATE TABLE applied (n integer)' },
  { version: 2, name: 'insert', sql: 'INSERT INTO applied VALUES (2)' },
];

describe('migrate on PostgreSQL', () => {
  let database: TestDatabase;
  const instances: PgSqlDatabase[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('migrate');
  });
  afterAll(async () => {
    await Promise.all(instances.map((db) => db.close()));
    await database?.drop();
  });

  it('applies each migration once when many instances start at the same time', async () => {
    instances.push(
      ...Array.from(
        { length: 6 },
        () => new PgSqlDatabase({ connectionString: database.url, poolSize: 2 }),
      ),
    );
    const applied = await Promise.all(
      instances.map(async (db) => [
        ...(await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS)),
        ...(await migrate(db, 'counting', counting)),
      ]),
    );
    expect(applied.flat().sort()).toEqual([1, 1, 2, 2]);
    expect(await instances[0].query('SELECT n FROM applied')).toEqual([{ n: 2 }]);
    const versions = await instances[0].query<{ component: string; version: number }>(
      'SELECT component, version FROM schema_migrations ORDER BY component, version',
    );
    expect(versions).toEqual([
      { component: 'counting', version: 1 },
      { component: 'counting', version: 2 },
      { component: 'event-store', version: 1 },
      { component: 'event-store', version: 2 },
    ]);
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(instances[0], 'counting', counting)).toEqual([]);
  });

  it('rolls back a failing migration whole, recording nothing', async () => {
    const failing: Migration[] = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE half (n integer)' },
      { version: 2, name: 'broken', sql: 'INSERT INTO missing_table VALUES (1)' },
    ];
    await expect(migrate(instances[0], 'failing', failing)).rejects.toThrow(/missing_table/);
    expect(await instances[0].query("SELECT to_regclass('half') AS t")).toEqual([{ t: null }]);
    expect(
      await instances[0].query("SELECT version FROM schema_migrations WHERE component = 'failing'"),
    ).toEqual([]);
  });

  it('refuses migrations out of order', async () => {
    await expect(migrate(instances[0], 'bad', [counting[1], counting[0]])).rejects.toThrow(
      /strictly ascending/,
    );
  });
});

describe('migrate on PGlite', () => {
  it('runs the same migrations', async () => {
    const db = await PgliteSqlDatabase.open();
    try {
      expect(await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS)).toEqual([1, 2]);
      expect(await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
