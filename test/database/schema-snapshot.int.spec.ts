import { ALL_PROJECTIONS } from '../../projections/all-projections';
import { LIVE_TABLES } from '../../projections/projection';
import { rebuildProjections } from '../../projections/rebuild/rebuild-projections';
import { migrateReadModels } from '../../projections/migrations/read-model.migrations';
import { migrate } from '../../src/database/migrate';
import type { SqlDatabase } from '../../src/database/sql-database';
import { EVENT_STORE_MIGRATIONS } from '../../src/event-store/postgres/event-store.migrations';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { dumpSchema } from '../support/dump-schema';
import { backendsWith, type OpenDatabase } from '../support/backends';

/**
 * Shipped migrations are frozen SQL, and a projection's schema() is what a rebuild
 * creates: this guards both. A database migrated from zero must have exactly the
 * checked-in schema, and its read-model tables exactly what schema() builds. After a
 * deliberate change (a new migration and its schema() edit, projections/migrations/README.md):
 *   npm run schema:snapshot
 */
const PROJECTION_TABLES = ALL_PROJECTIONS.flatMap((projection) => projection.tables);

/** Every component's migrations, as the service applies them when it starts. */
async function migrateFromZero(db: SqlDatabase): Promise<void> {
  await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS);
  await migrateReadModels(db);
}

describe.each(backendsWith('openDatabase'))('the schema migrated from zero on $name', (backend) => {
  let open: OpenDatabase;

  beforeAll(async () => {
    open = await backend.openDatabase('schema');
    await migrateFromZero(open.db);
  });
  afterAll(() => open?.close());

  it('is the checked-in snapshot', async () => {
    expect(await dumpSchema(open.db)).toMatchSnapshot();
  });

  it("has the projections' tables exactly as their schema() builds them", async () => {
    const built = await backend.openDatabase('schema');
    try {
      for (const projection of ALL_PROJECTIONS) await built.db.exec(projection.schema(LIVE_TABLES));
      expect(await dumpSchema(open.db, PROJECTION_TABLES)).toBe(
        await dumpSchema(built.db, PROJECTION_TABLES),
      );
    } finally {
      await built.close();
    }
  });

  it('is the same after a rebuild swaps in the tables schema() built', async () => {
    const before = await dumpSchema(open.db);
    const store = new PostgresEventStore(open.db, { crossProcessNotify: false });
    try {
      await rebuildProjections(open.db, store);
    } finally {
      await store.close();
    }
    expect(await dumpSchema(open.db)).toBe(before);
  });
});
