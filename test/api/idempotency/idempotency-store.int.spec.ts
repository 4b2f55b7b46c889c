import { migrateReadModels } from '../../../projections/migrations/read-model.migrations';
import type { IdempotencyScope } from '../../../src/api/idempotency/idempotency-record';
import {
  IDEMPOTENCY_KEY_RETENTION_MS,
  IDEMPOTENCY_LEASE_MS,
  IdempotencyStore,
  type BeginResult,
} from '../../../src/api/idempotency/idempotency-store';
import type { AppConfig } from '../../../src/config/app-config';
import { PgSqlDatabase } from '../../../src/database/pg-sql-database';
import { PgliteSqlDatabase } from '../../../src/database/pglite-sql-database';
import type { SqlDatabase } from '../../../src/database/sql-database';
import { ManualClock } from '../../billing/support/manual-clock';
import { createTestDatabase } from '../../support/test-database';

/** Two instances' stores on one database (on PGlite: one connection, in one process). */
interface SharedKeys {
  readonly a: IdempotencyStore;
  readonly b: IdempotencyStore;
  readonly db: SqlDatabase;
  close(): Promise<void>;
}

const BACKENDS: readonly { name: string; open(clock: ManualClock): Promise<SharedKeys> }[] = [
  {
    name: 'PostgreSQL (two pools)',
    open: async (clock) => {
      const database = await createTestDatabase('idempotency_store');
      const dbA = new PgSqlDatabase({ connectionString: database.url, poolSize: 10 });
      const dbB = new PgSqlDatabase({ connectionString: database.url, poolSize: 10 });
      await migrateReadModels(dbA);
      return {
        a: storeOn(dbA, 'instance-a', clock),
        b: storeOn(dbB, 'instance-b', clock),
        db: dbA,
        close: async () => {
          await Promise.all([dbA.close(), dbB.close()]);
          await database.drop();
        },
      };
    },
  },
  {
    name: 'PGlite',
    open: async (clock) => {
      const db = await PgliteSqlDatabase.open();
      await migrateReadModels(db);
      return {
        a: storeOn(db, 'instance-a', clock),
        b: storeOn(db, 'instance-b', clock),
        db,
        close: () => db.close(),
      };
    },
  },
];

function storeOn(db: SqlDatabase, instanceId: string, clock: ManualClock): IdempotencyStore {
  return new IdempotencyStore(db, { instanceId } as AppConfig, clock);
}

const kinds = (results: readonly BeginResult[]) => results.map((result) => result.kind).sort();

describe.each(BACKENDS)('IdempotencyStore on $name', (backend) => {
  const clock = new ManualClock();
  let keys: SharedKeys;
  let serial = 0;
  const scope = (): IdempotencyScope => ({
    principal: 'api-token',
    route: 'POST /rest/v1/billing-runs',
    key: `key-${++serial}`,
  });

  beforeAll(async () => {
    keys = await backend.open(clock);
  });

  afterAll(async () => {
    await keys?.close();
  });

  async function run(store: IdempotencyStore, key: IdempotencyScope, fingerprint = 'f') {
    const begun = await store.begin(key, fingerprint);
    if (begun.kind !== 'run') throw new Error(`expected to run, got ${begun.kind}`);
    return begun.lease;
  }

  it('gives a key to exactly one of many requests arriving at once on two instances', async () => {
    const key = scope();

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? keys.a : keys.b).begin(key, 'f')),
    );

    expect(kinds(results)).toEqual([...Array<string>(19).fill('in-use'), 'run']);
  });

  it('lets exactly one of many take over a key whose lease ended', async () => {
    const key = scope();
    const first = await run(keys.a, key);
    clock.advance(IDEMPOTENCY_LEASE_MS);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? keys.a : keys.b).begin(key, 'f')),
    );

    expect(kinds(results)).toEqual([...Array<string>(19).fill('in-use'), 'run']);
    const taken = results.find((result) => result.kind === 'run');
    // The same request, run again: the events of its first run name the same id.
    expect(taken?.kind === 'run' && taken.lease.request).toEqual(first.request);
  });

  it('keeps the first answer stored; a later run of the same request gets that one', async () => {
    const key = scope();
    const first = await run(keys.a, key);
    clock.advance(IDEMPOTENCY_LEASE_MS);
    const second = await run(keys.b, key);
    const answer = { status: 202, body: '{"runId":"manual-1"}' };

    const keptForSecond = await keys.b.complete(second, answer);
    const keptForFirst = await keys.a.complete(first, { status: 503, body: '{}' });

    expect(keptForSecond).toEqual(answer);
    expect(keptForFirst).toEqual(answer);
    expect(await keys.a.begin(key, 'f')).toEqual({ kind: 'replay', response: answer });
    expect(await keys.b.begin(key, 'other')).toEqual({ kind: 'reused' });
  });

  it('frees a released key for the same request at once, never for another', async () => {
    const key = scope();
    const lease = await run(keys.a, key);

    await keys.a.release(lease);

    expect((await keys.b.begin(key, 'other')).kind).toBe('reused');
    expect((await run(keys.b, key)).request).toEqual(lease.request);
  });

  it('deletes a forgotten key: another request may take it', async () => {
    const key = scope();
    const lease = await run(keys.a, key);

    await keys.a.forget(lease);

    expect((await run(keys.b, key, 'other')).request.requestId).not.toBe(lease.request.requestId);
  });

  it('treats an expired key as absent, then deletes expired keys in batches', async () => {
    const key = scope();
    const lease = await run(keys.a, key);
    await keys.a.complete(lease, { status: 202, body: '{}' });
    clock.advance(IDEMPOTENCY_KEY_RETENTION_MS);

    const anew = await run(keys.b, key, 'other');

    expect(anew.request.requestId).not.toBe(lease.request.requestId);
    clock.advance(IDEMPOTENCY_KEY_RETENTION_MS);
    const expired = await countRows(keys.db);
    expect(expired).toBeGreaterThan(3);
    expect(await keys.a.deleteExpired(3)).toBe(3);
    expect(await keys.a.deleteExpired(1_000)).toBe(expired - 3);
    expect(await countRows(keys.db)).toBe(0);
  });
});

async function countRows(db: SqlDatabase): Promise<number> {
  const [row] = await db.query<{ count: bigint }>('SELECT count(*) AS count FROM idempotency_keys');
  return Number(row.count);
}
